//! Looking at what happened: the request inspector ([`requests`]), exports and support bundles
//! ([`export`]), and presenter masking ([`mask`]).

pub mod export;
pub mod mask;
pub mod requests;
