//! A small cache of generated mock banks, keyed by (persona, anchor date, provider, seed).
//! The anchor is the sandbox clock's date: the data helper guarantees history before it does not
//! depend on it, so moving the clock only adds days.
//! Generation runs on the blocking pool, once per key even when many requests race for it (the
//! dense persona takes a noticeable moment). Holds no connection logic.

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use tokio::sync::OnceCell;

use crate::data::{Bank, Persona};
use crate::state::lock;

/// How many banks stay generated (most recently created first out).
const CAPACITY: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
struct BankKey {
    persona_key: String,
    anchor: NaiveDate,
    provider_id: String,
    seed: u64,
}

type Slot = Arc<OnceCell<Arc<Bank>>>;

/// See the module docs.
#[derive(Debug, Default)]
pub struct BankCache {
    entries: Mutex<Vec<(BankKey, Slot)>>,
}

/// Which bank to build: the persona, the anchor (the sandbox clock's date), and the provider
/// it is shown under.
#[derive(Debug, Clone, Copy)]
pub struct BankSpec<'a> {
    /// The mock user.
    pub persona: &'a Persona,
    /// History ends the day before this date.
    pub anchor: NaiveDate,
    /// The data seed.
    pub seed: u64,
    /// `provider.provider_id` on accounts and cards.
    pub provider_id: &'a str,
    /// `provider.display_name` (deprecated field, still sent).
    pub display_name: Option<&'a str>,
    /// `provider.logo_uri` (deprecated field, still sent).
    pub logo_uri: Option<&'a str>,
}

impl BankCache {
    /// The bank for `spec`, generating it on first use. `None` only if generation panicked.
    pub async fn get(&self, spec: BankSpec<'_>) -> Option<Arc<Bank>> {
        let key = BankKey {
            persona_key: spec.persona.key(),
            anchor: spec.anchor,
            provider_id: spec.provider_id.to_owned(),
            seed: spec.seed,
        };
        let slot = {
            let mut entries = lock(&self.entries);
            match entries.iter().position(|(k, _)| *k == key) {
                Some(i) => entries[i].1.clone(),
                None => {
                    if entries.len() >= CAPACITY {
                        entries.remove(0);
                    }
                    let slot: Slot = Arc::default();
                    entries.push((key, slot.clone()));
                    slot
                }
            }
        };
        let persona = *spec.persona;
        let (anchor, seed) = (spec.anchor, spec.seed);
        let provider_id = spec.provider_id.to_owned();
        let display_name = spec.display_name.map(str::to_owned);
        let logo_uri = spec.logo_uri.map(str::to_owned);
        slot.get_or_try_init(|| async move {
            tokio::task::spawn_blocking(move || {
                let mut bank = Bank::generate(&persona, anchor, seed);
                bank.set_provider(&provider_id, display_name.as_deref(), logo_uri.as_deref());
                Arc::new(bank)
            })
            .await
        })
        .await
        .ok()
        .cloned()
    }
}

/// The bank a connection (or a dialog about to create one) sees: the persona's data at the
/// anchor, shown under the provider with its deprecated `display_name`/`logo_uri`.
pub async fn provider_bank(
    state: &crate::state::SandboxState,
    persona: &Persona,
    anchor: NaiveDate,
    provider: &crate::data::Provider,
) -> Option<Arc<Bank>> {
    let logo = format!(
        "{}/img/banks/logos/{}.svg",
        state.auth_url, provider.provider_id
    );
    state
        .banks
        .get(BankSpec {
            persona,
            anchor,
            seed: state.seed,
            provider_id: &provider.provider_id,
            display_name: Some(&provider.display_name),
            logo_uri: Some(&logo),
        })
        .await
}
