#include "majority/report_order.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>

namespace swell::majority {
namespace {

// The formatted key as a sequence of pieces, so it is compared without building a string.
class FormattedKey {
 public:
  explicit FormattedKey(const PeerInfo& info) {
    char* end = port_.data() + port_.size();
    char* begin = end;
    unsigned port = info.metrics_port;
    do {
      *--begin = static_cast<char>('0' + port % 10);
      port /= 10;
    } while (port != 0);
    pieces_ = {std::string_view(info.address), "-", std::string_view(begin, static_cast<std::size_t>(end - begin)),
               "-", to_string(info.node_type), "-", info.is_load_balancer ? "true" : "false"};
  }

  FormattedKey(const FormattedKey&) = delete;  // pieces_ point into port_
  FormattedKey& operator=(const FormattedKey&) = delete;

  // Next byte of the key, or -1 at its end.
  int next() {
    while (piece_ < pieces_.size()) {
      if (offset_ < pieces_[piece_].size()) return static_cast<unsigned char>(pieces_[piece_][offset_++]);
      ++piece_;
      offset_ = 0;
    }
    return -1;
  }

 private:
  std::array<char, 5> port_{};
  std::array<std::string_view, 7> pieces_{};
  std::size_t piece_ = 0;
  std::size_t offset_ = 0;
};

}  // namespace

int compare_grouping_keys(const PeerInfo& a, const PeerInfo& b) {
  FormattedKey ka(a);
  FormattedKey kb(b);
  for (;;) {
    const int ca = ka.next();
    const int cb = kb.next();
    if (ca != cb) return ca < cb ? -1 : 1;
    if (ca < 0) return 0;
  }
}

bool newer_report(const PeerInfo& a, const PeerInfo& b) {
  if (a.last_updated_ms != b.last_updated_ms) return a.last_updated_ms > b.last_updated_ms;
  if (a.version != b.version) return a.version > b.version;
  if (const int key = compare_grouping_keys(a, b); key != 0) return key < 0;
  if (a.owner != b.owner) return a.owner < b.owner;
  return std::lexicographical_compare(a.metadata.begin(), a.metadata.end(), b.metadata.begin(), b.metadata.end());
}

}  // namespace swell::majority
