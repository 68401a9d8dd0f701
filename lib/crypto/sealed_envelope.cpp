#include "crypto/sealed_envelope.h"

namespace swell::crypto {

void seal_envelope(const wire::DatagramBuilder& builder, const MacKey& key, Bytes& out) {
  builder.finish(out);
  append_tag(key, out);
}

void seal_unauthenticated(const wire::DatagramBuilder& builder, Bytes& out) {
  builder.finish(out);
  out.insert(out.end(), wire::kTagSize, 0);
}

}  // namespace swell::crypto
