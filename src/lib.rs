//! OneMap.
