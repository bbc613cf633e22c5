//! The native menu bar (File, Edit, View, Connection, Help), from one table. Every item but
//! Edit's standard ones and Quit is an action the UI carries out: choosing it emits
//! `menu://action` with the item's id, and `ui/src/components/app/useMenuActions.ts` routes it.
//! Accelerators are the UI's own shortcuts (`useHotkey` calls), so a key does the same thing
//! whether the menu or the webview sees it.

use serde::Serialize;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{AppHandle, Emitter, Runtime};

/// The event a menu action is sent to the UI as.
pub const EVENT: &str = "menu://action";

/// One entry of a menu.
// Not `Copy`: the table glob-imports the variants, and `Item::Copy` would shadow the derive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// An action of the UI: its id (sent in `menu://action`), label and accelerator.
    Action(&'static str, &'static str, Option<&'static str>),
    Separator,
    /// The platform's own editing items, which act on the focused field.
    Undo,
    Redo,
    Cut,
    Copy,
    Paste,
    SelectAll,
    Quit,
}

use Item::{Action, Copy, Cut, Paste, Quit, Redo, SelectAll, Separator, Undo};

/// The menu bar, menu by menu.
pub const MENUS: &[(&str, &[Item])] = &[
    (
        "File",
        &[
            Action("link", "Link an account…", Some("CmdOrCtrl+Shift+L")),
            Separator,
            Action("settings", "Settings", Some("CmdOrCtrl+,")),
            Separator,
            Quit,
        ],
    ),
    (
        "Edit",
        &[Undo, Redo, Separator, Cut, Copy, Paste, SelectAll],
    ),
    (
        "View",
        &[
            Action("palette", "Command palette…", Some("CmdOrCtrl+K")),
            Separator,
            Action("home", "Connections", None),
            Action("requests", "Request inspector", Some("CmdOrCtrl+Shift+K")),
            Action("workbench", "QA workbench", None),
            Action("holder", "Verify account holder", None),
            Separator,
            Action("presenter", "Presenter mode", Some("CmdOrCtrl+Shift+P")),
        ],
    ),
    (
        "Connection",
        &[
            Action("tab:overview", "Overview", Some("Alt+1")),
            Action("tab:accounts", "Accounts", Some("Alt+2")),
            Action("tab:transactions", "Transactions", Some("Alt+3")),
            Action("tab:cards", "Cards", Some("Alt+4")),
            Action("tab:standing-orders", "Standing orders", Some("Alt+5")),
            Action("tab:direct-debits", "Direct debits", Some("Alt+6")),
            Action("tab:identity", "Identity", Some("Alt+7")),
            Action("tab:signup-plus", "Signup+", Some("Alt+8")),
            Action("tab:verification", "Verification", Some("Alt+9")),
            Action("tab:requests", "Requests", None),
            Action("tab:coverage", "Coverage", None),
            Separator,
            Action("reconsent", "Re-consent…", None),
        ],
    ),
    (
        "Help",
        &[
            Action("shortcuts", "Keyboard shortcuts", None),
            Action("reveal-log", "Reveal log", None),
            Separator,
            Action("about", "About Linkscope", None),
        ],
    ),
];

/// What `menu://action` carries.
#[derive(Debug, Clone, Serialize)]
struct MenuAction<'a> {
    id: &'a str,
}

/// Builds the menu bar from [`MENUS`].
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    for (title, items) in MENUS {
        let submenu = Submenu::new(app, *title, true)?;
        for item in *items {
            match item {
                Action(id, label, accelerator) => {
                    submenu.append(&MenuItem::with_id(app, *id, *label, true, *accelerator)?)?
                }
                Separator => submenu.append(&PredefinedMenuItem::separator(app)?)?,
                Undo => submenu.append(&PredefinedMenuItem::undo(app, None)?)?,
                Redo => submenu.append(&PredefinedMenuItem::redo(app, None)?)?,
                Cut => submenu.append(&PredefinedMenuItem::cut(app, None)?)?,
                Copy => submenu.append(&PredefinedMenuItem::copy(app, None)?)?,
                Paste => submenu.append(&PredefinedMenuItem::paste(app, None)?)?,
                SelectAll => submenu.append(&PredefinedMenuItem::select_all(app, None)?)?,
                Quit => submenu.append(&PredefinedMenuItem::quit(app, None)?)?,
            }
        }
        menu.append(&submenu)?;
    }
    Ok(menu)
}

/// Sends a chosen action to the UI (the standard items never get here: the platform runs them).
pub fn route<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let known = MENUS
        .iter()
        .flat_map(|(_, items)| items.iter())
        .any(|item| matches!(item, Action(action, _, _) if *action == id));
    if !known {
        return;
    }
    // Support reads which menu item was chosen (and the e2e suite, that the menu sent it).
    tracing::info!("menu action: {id}");
    if let Err(err) = app.emit(EVENT, MenuAction { id }) {
        tracing::warn!("menu action {id} was not delivered: {err}");
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::str::FromStr;

    use super::*;

    fn actions() -> impl Iterator<Item = (&'static str, &'static str, Option<&'static str>)> {
        MENUS
            .iter()
            .flat_map(|(_, items)| items.iter())
            .filter_map(|item| match item {
                Action(id, label, accelerator) => Some((*id, *label, *accelerator)),
                _ => None,
            })
    }

    #[test]
    fn the_menu_bar_is_file_edit_view_connection_help() {
        let titles: Vec<_> = MENUS.iter().map(|(title, _)| *title).collect();
        assert_eq!(titles, ["File", "Edit", "View", "Connection", "Help"]);
    }

    #[test]
    fn edit_has_the_standard_cut_copy_paste_and_select_all() {
        let edit = MENUS
            .iter()
            .find(|(title, _)| *title == "Edit")
            .map(|(_, items)| *items);
        for standard in [Cut, Copy, Paste, SelectAll] {
            assert!(
                edit.is_some_and(|items| items.contains(&standard)),
                "Edit has {standard:?}"
            );
        }
    }

    #[test]
    fn the_accelerators_are_the_uis_shortcuts() {
        // The UI's useHotkey calls: App.tsx, PresenterProvider.tsx, and Alt+digit in ConnectionView.
        let expected = [
            ("palette", "CmdOrCtrl+K"),
            ("link", "CmdOrCtrl+Shift+L"),
            ("settings", "CmdOrCtrl+,"),
            ("requests", "CmdOrCtrl+Shift+K"),
            ("presenter", "CmdOrCtrl+Shift+P"),
            ("tab:overview", "Alt+1"),
            ("tab:verification", "Alt+9"),
        ];
        for (id, accelerator) in expected {
            let found = actions()
                .find(|(action, _, _)| *action == id)
                .and_then(|(_, _, a)| a);
            assert_eq!(found, Some(accelerator), "{id} is on {accelerator}");
        }
    }

    #[test]
    fn every_accelerator_parses_as_tauri_reads_it_and_none_is_used_twice() {
        let mut seen = HashSet::new();
        for (id, _, accelerator) in actions() {
            let Some(accelerator) = accelerator else {
                continue;
            };
            assert!(
                muda::accelerator::Accelerator::from_str(accelerator).is_ok(),
                "{id}: {accelerator} parses"
            );
            assert!(seen.insert(accelerator), "{accelerator} is used once");
        }
    }

    #[test]
    fn every_action_id_is_unique_and_labelled() {
        let mut seen = HashSet::new();
        for (id, label, _) in actions() {
            assert!(seen.insert(id), "{id} is used once");
            assert!(!label.is_empty(), "{id} has a label");
        }
        assert!(
            !seen.contains("copy"),
            "the standard items are the platform's, not actions"
        );
    }
}
