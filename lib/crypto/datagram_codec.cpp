#include "crypto/datagram_codec.h"

namespace swell::crypto {

void seal_datagram(const wire::DatagramBuilder& builder, const MacKey& key, Bytes& out) {
  builder.finish(out);
  append_tag(key, out);
}

}  // namespace swell::crypto
