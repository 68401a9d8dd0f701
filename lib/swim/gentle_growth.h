// Vectors that hold one entry per member grow by a quarter, not double: in a
// 10,000-member simulation, doubling would leave up to half of 10^8 records' worth
// of capacity unused (gigabytes). Appends stay amortized O(1).
#pragma once

#include <cstddef>
#include <vector>

namespace swell::swim {

/// Makes room for one more element in v, growing its capacity by about a quarter.
template <typename T>
void reserve_one_more(std::vector<T>& v) {
  if (v.size() < v.capacity()) return;
  v.reserve(v.capacity() + v.capacity() / 4 + 16);
}

}  // namespace swell::swim
