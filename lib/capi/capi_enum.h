// Reading a C enum field safely: a C caller may store any int in it, and loading an
// out-of-range value as a C++ enum is undefined (UBSan's -fsanitize=enum traps on it).
#pragma once

#include <cstring>

namespace swell::capi {

/// The int a C enum field holds, copied out without loading it as the enum type.
template <class Enum>
int enum_value(const Enum& field) noexcept {
  static_assert(sizeof(Enum) == sizeof(int), "swell.h's enums are int-sized");
  int value = 0;
  std::memcpy(&value, &field, sizeof value);
  return value;
}

}  // namespace swell::capi
