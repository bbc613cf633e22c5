//! Looking at what happened: the request inspector ([`requests`]), exports and support bundles
//! ([`export`]), HAR files of recorded exchanges ([`har`]), and presenter masking ([`mask`]).

pub mod export;
pub mod har;
pub mod mask;
pub mod requests;
