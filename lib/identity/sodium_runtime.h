// libsodium must be initialised once before any primitive is used; every swell entry
// point that touches libsodium calls require_sodium() first.
#pragma once

namespace swell {

/// Initialises libsodium once (thread-safe); aborts if the library cannot start,
/// because no signature or MAC could be trusted afterwards.
void require_sodium();

}  // namespace swell
