// The library's ABI number and version string.
#include "swell/swell.h"

extern "C" {

int swell_abi_version(void) { return SWELL_ABI_VERSION; }

const char* swell_version(void) { return SWELL_VERSION; }

}  // extern "C"
