//! Live key sets (feature `fetch`): verifiers that fetch their JWK Set from
//! a `JwksServer` the tests start on 127.0.0.1. One test binary, one module
//! per area. No test sleeps through a cool-down or an age: the verifiers'
//! clock is a `ManualClock`; the only real waits are HTTP timeouts of a few
//! hundred milliseconds and background refreshes, each bounded.

mod configuration;
mod fetching;
mod http;
mod issuers;
mod penalty;
mod refresh;
mod support;
