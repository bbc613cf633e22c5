//! The mock bank's vocabulary: UK merchants, direct-debit originators, employers and the
//! classification labels the generator draws from. Static tables only; no randomness here.

/// A card merchant: how the bank describes it and how TrueLayer would classify it.
#[derive(Debug)]
pub(crate) struct Merchant {
    /// `merchant_name`.
    pub name: &'static str,
    /// Bank descriptions, one picked per purchase.
    pub descriptions: &'static [&'static str],
    /// `transaction_classification`.
    pub classification: &'static [&'static str],
    /// Amount range in pence.
    pub min: i64,
    pub max: i64,
    /// Relative frequency.
    pub weight: u32,
    /// Card `meta.location`.
    pub location: &'static str,
}

macro_rules! m {
    ($name:expr, [$($d:expr),+], [$($c:expr),*], $min:expr, $max:expr, $w:expr, $loc:expr) => {
        Merchant { name: $name, descriptions: &[$($d),+], classification: &[$($c),*], min: $min, max: $max, weight: $w, location: $loc }
    };
}

/// Everyday card spending (debit and credit cards).
#[rustfmt::skip]
pub(crate) const MERCHANTS: &[Merchant] = &[
    m!("Tesco", ["TESCO STORES 3217", "TESCO EXPRESS 5621", "TESCO STORES 2418"], ["Shopping", "Groceries"], 250, 9_500, 14, "LONDON"),
    m!("Sainsburys", ["SAINSBURYS SMRKT STORE 128", "SAINSBURYS S/MKTS"], ["Shopping", "Groceries"], 300, 8_800, 10, "LONDON"),
    m!("Asda", ["ASDA STORES 4321"], ["Shopping", "Groceries"], 800, 11_000, 4, "CROYDON"),
    m!("Waitrose", ["WAITROSE 712"], ["Shopping", "Groceries"], 400, 7_500, 4, "LONDON"),
    m!("Aldi", ["ALDI 84 772"], ["Shopping", "Groceries"], 900, 6_500, 5, "LONDON"),
    m!("Lidl", ["LIDL GB LONDON"], ["Shopping", "Groceries"], 700, 6_000, 4, "LONDON"),
    m!("Co-op", ["CO-OP GROUP 070419"], ["Shopping", "Groceries"], 180, 2_800, 6, "LONDON"),
    m!("Marks & Spencer", ["M&S SIMPLY FOOD", "MARKS&SPENCER PLC"], ["Shopping", "Groceries"], 350, 4_500, 5, "LONDON"),
    m!("Pret A Manger", ["PRET A MANGER"], ["Food & Dining", "Coffee shops"], 245, 1_150, 9, "LONDON"),
    m!("Costa Coffee", ["COSTA COFFEE 43011"], ["Food & Dining", "Coffee shops"], 220, 780, 8, "LONDON"),
    m!("Starbucks", ["STARBUCKS 1197"], ["Food & Dining", "Coffee shops"], 250, 820, 5, "LONDON"),
    m!("Greggs", ["GREGGS PLC"], ["Food & Dining", "Fast food"], 150, 650, 6, "LONDON"),
    m!("Nando's", ["NANDOS CLAPHAM"], ["Food & Dining", "Restaurants"], 1_200, 4_800, 2, "LONDON"),
    m!("Wagamama", ["WAGAMAMA LTD"], ["Food & Dining", "Restaurants"], 1_400, 5_200, 2, "LONDON"),
    m!("Pizza Express", ["PIZZA EXPRESS 0231"], ["Food & Dining", "Restaurants"], 1_800, 6_500, 1, "LONDON"),
    m!("Deliveroo", ["DELIVEROO.CO.UK"], ["Food & Dining", "Food delivery"], 1_300, 4_200, 4, "INTERNET"),
    m!("Just Eat", ["JUST EAT.CO.UK LTD"], ["Food & Dining", "Food delivery"], 1_200, 3_900, 3, "INTERNET"),
    m!("TfL", ["TFL TRAVEL CH", "TFL.GOV.UK/CP"], ["Auto & Transport", "Public transport"], 175, 1_780, 12, "LONDON"),
    m!("Trainline", ["TRAINLINE.COM"], ["Auto & Transport", "Public transport"], 1_050, 14_500, 2, "INTERNET"),
    m!("Uber", ["UBER *TRIP", "UBER *EATS"], ["Auto & Transport", "Taxi"], 650, 3_400, 4, "INTERNET"),
    m!("Shell", ["SHELL KENNINGTON"], ["Auto & Transport", "Fuel"], 2_000, 8_500, 2, "LONDON"),
    m!("BP", ["BP CONNECT STREATHAM"], ["Auto & Transport", "Fuel"], 2_000, 8_000, 2, "LONDON"),
    m!("Amazon", ["AMAZON.CO.UK*2X4RT", "AMZNMKTPLACE", "AMAZON PRIME*1A2B3"], ["Shopping", "General"], 399, 8_999, 9, "INTERNET"),
    m!("Ebay", ["PAYPAL *EBAY"], ["Shopping", "General"], 250, 6_000, 2, "INTERNET"),
    m!("Argos", ["ARGOS LTD"], ["Shopping", "Electronics"], 500, 15_000, 1, "LONDON"),
    m!("John Lewis", ["JOHN LEWIS 0412"], ["Shopping", "Home"], 1_500, 22_000, 1, "LONDON"),
    m!("Boots", ["BOOTS 1123"], ["Personal Care", "Pharmacy"], 199, 3_500, 5, "LONDON"),
    m!("Superdrug", ["SUPERDRUG 0331"], ["Personal Care", "Pharmacy"], 199, 2_400, 2, "LONDON"),
    m!("Currys", ["CURRYS PC WORLD"], ["Shopping", "Electronics"], 1_999, 45_000, 1, "INTERNET"),
    m!("Primark", ["PRIMARK"], ["Shopping", "Clothing"], 400, 4_500, 2, "LONDON"),
    m!("Uniqlo", ["UNIQLO OXFORD ST"], ["Shopping", "Clothing"], 1_490, 9_000, 1, "LONDON"),
    m!("Odeon", ["ODEON CINEMAS"], ["Entertainment", "Movies"], 1_050, 3_200, 1, "LONDON"),
    m!("Ticketmaster", ["TICKETMASTER UK"], ["Entertainment", "Events"], 2_500, 14_000, 1, "INTERNET"),
    m!("Google play", ["GOOGLE PLAY STORE"], ["Entertainment", "Games"], 99, 1_499, 2, "INTERNET"),
    m!("Steam", ["STEAMGAMES.COM 4259522985"], ["Entertainment", "Games"], 399, 4_999, 1, "INTERNET"),
    m!("The Crown", ["THE CROWN & ANCHOR"], ["Food & Dining", "Pubs"], 450, 4_600, 4, "LONDON"),
    m!("Wetherspoons", ["J D WETHERSPOON"], ["Food & Dining", "Pubs"], 350, 3_200, 3, "LONDON"),
    m!("Screwfix", ["SCREWFIX DIRECT"], ["Home", "Home improvement"], 500, 12_000, 1, "INTERNET"),
    m!("Ikea", ["IKEA LTD"], ["Home", "Furniture"], 1_200, 30_000, 1, "CROYDON"),
];

/// Monthly card subscriptions (recurring card payments, not direct debits).
#[rustfmt::skip]
pub(crate) const SUBSCRIPTIONS: &[Merchant] = &[
    m!("Netflix", ["NETFLIX.COM"], ["Entertainment", "Streaming"], 1_099, 1_099, 1, "INTERNET"),
    m!("Spotify", ["SPOTIFY P1A2B3C4D5"], ["Entertainment", "Music"], 1_199, 1_199, 1, "INTERNET"),
    m!("Apple", ["APPLE.COM/BILL"], ["Entertainment", "Apps"], 299, 299, 1, "INTERNET"),
    m!("Disney Plus", ["DISNEY PLUS"], ["Entertainment", "Streaming"], 799, 799, 1, "INTERNET"),
];

/// Business spending for the business accounts of the dense persona.
#[rustfmt::skip]
pub(crate) const BUSINESS_MERCHANTS: &[Merchant] = &[
    m!("Viking", ["VIKING DIRECT"], ["Business Services", "Office supplies"], 1_200, 18_000, 3, "INTERNET"),
    m!("Royal Mail", ["ROYAL MAIL GROUP LTD"], ["Business Services", "Shipping"], 85, 2_400, 6, "LONDON"),
    m!("Amazon Business", ["AMAZON BUSINESS EU"], ["Business Services", "Office supplies"], 500, 25_000, 4, "INTERNET"),
    m!("Google", ["GOOGLE *WORKSPACE"], ["Business Services", "Software"], 1_100, 9_900, 2, "INTERNET"),
    m!("Adobe", ["ADOBE *CREATIVE CLOUD"], ["Business Services", "Software"], 2_000, 6_000, 1, "INTERNET"),
    m!("Makro", ["MAKRO CASH & CARRY"], ["Business Services", "Wholesale"], 4_000, 60_000, 2, "CROYDON"),
    m!("Costa Coffee", ["COSTA COFFEE 43011"], ["Food & Dining", "Coffee shops"], 220, 1_800, 3, "LONDON"),
    m!("Shell", ["SHELL KENNINGTON"], ["Auto & Transport", "Fuel"], 3_000, 9_000, 2, "LONDON"),
];

/// A direct-debit originator.
#[derive(Debug)]
pub(crate) struct Originator {
    /// `name` of the direct debit and `merchant_name` of its collections.
    pub name: &'static str,
    /// Bank description of a collection.
    pub description: &'static str,
    /// `transaction_classification`.
    pub classification: &'static [&'static str],
    /// Typical monthly amount in pence and how much it varies (0 for fixed).
    pub amount: i64,
    pub variation: i64,
    /// Collection day of month.
    pub day: u32,
    /// Mandate reference prefix.
    pub reference: &'static str,
    /// Collected only in April–January (council tax: ten instalments).
    pub ten_months: bool,
}

macro_rules! o {
    ($name:expr, $desc:expr, [$($c:expr),*], $amount:expr, $var:expr, $day:expr, $refp:expr, $ten:expr) => {
        Originator { name: $name, description: $desc, classification: &[$($c),*], amount: $amount, variation: $var, day: $day, reference: $refp, ten_months: $ten }
    };
}

/// Household direct debits of the main current account.
#[rustfmt::skip]
pub(crate) const ORIGINATORS: &[Originator] = &[
    o!("EDF ENERGY", "EDF ENERGY", ["Bills and Utilities", "Gas & Electric"], 9_500, 3_500, 3, "EDF", false),
    o!("THAMES WATER", "THAMES WATER", ["Bills and Utilities", "Water"], 3_850, 0, 8, "TW", false),
    o!("LB LAMBETH", "LB LAMBETH CTAX", ["Bills and Utilities", "Council tax"], 15_400, 0, 1, "CTAX", true),
    o!("EE", "EE LIMITED", ["Bills and Utilities", "Mobile phone"], 2_500, 400, 17, "EE", false),
    o!("VIRGIN MEDIA", "VIRGIN MEDIA PYMTS", ["Bills and Utilities", "Internet"], 4_200, 0, 12, "VM", false),
    o!("TV LICENCE", "TV LICENCE MBP", ["Bills and Utilities", "Television"], 1_413, 0, 15, "TVL", false),
    o!("PUREGYM", "PUREGYM LTD", ["Health & Fitness", "Gym"], 2_499, 0, 1, "PG", false),
    o!("AVIVA", "AVIVA INSURANCE", ["Bills and Utilities", "Insurance"], 1_877, 0, 20, "AV", false),
];

/// A direct debit that was cancelled a while ago (kept for the Inactive status).
pub(crate) const CANCELLED_ORIGINATOR: Originator = Originator {
    name: "BT INTERNET",
    description: "BT GROUP PLC",
    classification: &["Bills and Utilities", "Internet"],
    amount: 1_699,
    variation: 0,
    day: 18,
    reference: "BT",
    ten_months: false,
};

/// Employers paying salaries.
pub(crate) const EMPLOYERS: &[&str] = &[
    "ACME WIDGETS LTD",
    "NORTHWIND TRADING",
    "CONTOSO UK LTD",
    "FABRIKAM PLC",
    "GLOBEX SERVICES",
    "INITECH UK LTD",
];

/// Customers paying the business accounts of the dense persona.
pub(crate) const CUSTOMERS: &[&str] = &[
    "HOOLI EUROPE LTD",
    "STARK INDUSTRIES UK",
    "WAYNE ENTERPRISES",
    "UMBRELLA HEALTH LTD",
    "TYRELL DESIGNS",
    "CYBERDYNE SYSTEMS",
    "SOYLENT FOODS",
    "MASSIVE DYNAMIC",
];

/// Classification labels of non-card transactions.
pub(crate) const INCOME_SALARY: &[&str] = &["Income", "Salary"];
pub(crate) const INCOME_OTHER: &[&str] = &["Income", "Other income"];
pub(crate) const INCOME_BUSINESS: &[&str] = &["Income", "Business income"];
pub(crate) const TRANSFER: &[&str] = &["Transfer", "Internal transfer"];
pub(crate) const HOUSING: &[&str] = &["Home", "Rent"];
pub(crate) const CASH: &[&str] = &["Cash", "ATM"];
pub(crate) const INTEREST: &[&str] = &["Income", "Interest"];
pub(crate) const FEES: &[&str] = &["Fees & Charges", "Bank fee"];
pub(crate) const REFUND: &[&str] = &["Shopping", "Refund"];

/// Direct debits of the dense persona's business accounts.
#[rustfmt::skip]
pub(crate) const BUSINESS_ORIGINATORS: &[Originator] = &[
    o!("XERO UK", "XERO UK LTD", ["Business Services", "Software"], 3_600, 0, 5, "XERO", false),
    o!("BT BUSINESS", "BT BUSINESS DD", ["Bills and Utilities", "Internet"], 4_500, 600, 14, "BTB", false),
    o!("HISCOX", "HISCOX INSURANCE", ["Business Services", "Insurance"], 2_850, 0, 22, "HX", false),
];

/// Towns used for cash machines and branches.
pub(crate) const ATM_DESCRIPTIONS: &[&str] = &[
    "CASH NOTEMACHINE LONDON",
    "LINK ATM BRIXTON",
    "CASH HSBC CLAPHAM",
    "CASH SAINSBURYS BANK",
    "LINK ATM CROYDON",
];

/// Withdrawal amounts in pence.
pub(crate) const ATM_AMOUNTS: &[i64] = &[
    2_000, 3_000, 4_000, 5_000, 6_000, 8_000, 10_000, 15_000, 20_000,
];

/// Where the holder lives: (street, town, county, postcode).
pub(crate) const ADDRESSES: &[(&str, &str, &str, &str)] = &[
    ("Acacia Avenue", "London", "Greater London", "SW9 8QD"),
    ("Baker Street", "London", "Greater London", "NW1 6XE"),
    ("Coldharbour Lane", "London", "Greater London", "SE5 9NR"),
    ("Mill Road", "Cambridge", "Cambridgeshire", "CB1 2AD"),
    ("Park Street", "Bristol", "City of Bristol", "BS1 5NT"),
    ("Deansgate", "Manchester", "Greater Manchester", "M3 4LQ"),
    (
        "Princes Street",
        "Edinburgh",
        "City of Edinburgh",
        "EH2 2ER",
    ),
    ("Bold Street", "Liverpool", "Merseyside", "L1 4DS"),
    ("Castle Street", "Cardiff", "South Glamorgan", "CF10 1BS"),
    ("High Street", "Oxford", "Oxfordshire", "OX1 4AP"),
];
