#include "agent/admission_settings.h"

#include <algorithm>

#include "agent/expiry_time.h"
#include "agent/key_list.h"
#include "agent/whole_file.h"
#include "crypto/certificate_auth.h"
#include "wire/node_certificate.h"

namespace swell::agent {
namespace {

Error invalid(const std::string& message) { return Error{ErrorCode::invalid_config, message}; }

// Keeps the code: an unreadable file (io) exits 1, a wrong value (invalid_config) 2.
Error named_error(const std::string& where, const Error& error) {
  return Error{error.code, where + ": " + error.message};
}

// A file set for a mode that does not read it is a mistake worth stopping for: the
// operator believes the cluster is closed.
Result<void> check_unused(const AdmissionSettings& a, const SettingOrigin& origin) {
  const std::string mode = to_string(a.mode);
  if (!a.allowlist_file.empty() && a.mode != AdmissionMode::allowlist) {
    return invalid(origin("admission.allowlist_file") + ": set, but admission.mode is " + mode +
                   ", which reads no allow-list: set mode = \"allowlist\" (or --admission allowlist), or remove it");
  }
  if (!a.certificate_file.empty() && a.mode != AdmissionMode::ca) {
    return invalid(origin("admission.certificate_file") + ": set, but admission.mode is " + mode +
                   ", which presents no certificate: set mode = \"ca\" (or --admission ca), or remove it");
  }
  return success();
}

Result<void> resolve_ca(const AdmissionSettings& a, const std::string& label, const SettingOrigin& origin,
                        AdmissionConfig& out) {
  if (a.trusted_cas.empty()) {
    return invalid(origin("admission.mode") + ": ca mode needs admission.trusted_cas (or --trusted-ca): the public "
                   "key(s) of the cluster CA, as `swell-agent ca init` printed them");
  }
  if (a.certificate_file.empty()) {
    return invalid(origin("admission.mode") + ": ca mode needs admission.certificate_file (or --certificate-file): "
                   "this node's certificate, written by `swell-agent ca sign --node $(swell-agent id KEYFILE)`");
  }
  const std::string where = origin("admission.certificate_file");
  auto bytes = read_certificate_file(a.certificate_file);
  if (!bytes.ok()) return named_error(where, bytes.error());
  const wire::NodeCertificate cert = wire::decode_certificate(bytes.value()).value();
  if (std::find(a.trusted_cas.begin(), a.trusted_cas.end(), cert.ca) == a.trusted_cas.end()) {
    return invalid(where + ": " + a.certificate_file + " is signed by CA " + cert.ca.to_hex() +
                   ", which is not in admission.trusted_cas: add that key, or sign the certificate with a trusted CA");
  }
  if (!crypto::certificate_signature_holds(cert, label)) {
    return invalid(where + ": " + a.certificate_file + "'s signature does not hold for cluster_label \"" + label +
                   "\": it was signed for another cluster label, or the file is damaged; sign it again with "
                   "`swell-agent ca sign --cluster-label " + (label.empty() ? "\"\"" : label) + "`");
  }
  out.certificate = std::move(bytes).value();
  return success();
}

}  // namespace

Result<AdmissionMode> parse_admission_mode(std::string_view text) {
  if (text == "open") return AdmissionMode::open;
  if (text == "allowlist") return AdmissionMode::allowlist;
  if (text == "ca") return AdmissionMode::ca;
  return invalid("\"" + std::string(text.substr(0, 64)) +
                 "\" is not an admission mode: give open (any key that knows the seeds and label), allowlist "
                 "(the keys in allowlist_file) or ca (keys with a certificate of a trusted CA)");
}

Result<Bytes> read_certificate_file(const std::string& path) {
  auto text = read_whole_file(path, kMaxCertificateFileBytes);
  if (!text.ok()) return Error{ErrorCode::io, text.error().message + "; make the file readable by this user"};
  if (!text.value()) {
    return Error{ErrorCode::io, "no certificate file at " + path + ": check the path, or write one with "
                                "`swell-agent ca sign`"};
  }
  if (text.value()->size() > kMaxCertificateFileBytes) {
    return invalid(path + " is larger than " + std::to_string(kMaxCertificateFileBytes) +
                   " bytes, which no certificate is: point certificate_file at the file `swell-agent ca sign` wrote");
  }
  const std::string& s = *text.value();
  Bytes bytes(reinterpret_cast<const std::uint8_t*>(s.data()), reinterpret_cast<const std::uint8_t*>(s.data()) + s.size());
  if (auto cert = wire::decode_certificate(bytes); !cert.ok()) {
    return invalid(path + " is not a node certificate (" + cert.error().message +
                   "): point certificate_file at the file `swell-agent ca sign` wrote");
  }
  return bytes;
}

Result<void> resolve_admission(const AdmissionSettings& a, const std::string& cluster_label,
                               const SettingOrigin& origin, AdmissionConfig& out) {
  if (auto ok = check_unused(a, origin); !ok.ok()) return ok;
  out.mode = a.mode;
  out.trusted_cas = a.trusted_cas;
  out.allowed.clear();
  out.certificate.clear();
  if (a.mode == AdmissionMode::allowlist) {
    if (a.allowlist_file.empty()) {
      return invalid(origin("admission.mode") + ": allowlist mode needs admission.allowlist_file (or "
                     "--allowlist-file): a file of the public keys that may be members, one per line");
    }
    auto keys = read_key_list_file(a.allowlist_file);
    if (!keys.ok()) return named_error(origin("admission.allowlist_file"), keys.error());
    out.allowed = std::move(keys).value();
  }
  if (a.mode == AdmissionMode::ca) return resolve_ca(a, cluster_label, origin, out);
  return success();
}

Result<void> check_own_certificate(const AdmissionSettings& a, const AdmissionConfig& config, const NodeId& self,
                                   const PeerInfo& info, std::uint64_t now_unix_ms) {
  if (config.mode != AdmissionMode::ca) return success();
  auto decoded = wire::decode_certificate(config.certificate);
  if (!decoded.ok()) return invalid(a.certificate_file + " is not a node certificate: " + decoded.error().message);
  const wire::NodeCertificate& cert = decoded.value();
  const std::string where = "admission.certificate_file " + a.certificate_file;
  if (cert.node != self) {
    return invalid(where + ": admits key " + cert.node.to_hex() + ", not this node's key " + self.to_hex() +
                   ": sign one for this key with `swell-agent ca sign --node " + self.to_hex() + "`");
  }
  if (cert.expires_unix_ms <= now_unix_ms) {
    return invalid(where + ": expired at " + format_unix_ms(cert.expires_unix_ms) +
                   " (by this host's clock): sign a new one with `swell-agent ca sign`");
  }
  if (cert.node_type && *cert.node_type != info.node_type) {
    return invalid(where + ": admits only node_type " + std::string(to_string(*cert.node_type)) +
                   ", but this member announces " + std::string(to_string(info.node_type)) + ": fix peer.node_type (--node-type), or sign a certificate for it");
  }
  return success();
}

std::string describe_admission(const AdmissionSettings& a, const AdmissionConfig& config) {
  switch (config.mode) {
    case AdmissionMode::allowlist:
      return "admission: allowlist, " + std::to_string(config.allowed.size()) + " key(s) from " + a.allowlist_file;
    case AdmissionMode::ca: {
      auto cert = wire::decode_certificate(config.certificate);
      return "admission: ca, " + std::to_string(config.trusted_cas.size()) + " trusted CA(s); certificate " +
             a.certificate_file + (cert.ok() ? " expires " + format_unix_ms(cert.value().expires_unix_ms) : "");
    }
    default: break;
  }
  if (a.mode_chosen) return "admission: open (chosen in the settings): any key that knows the seeds and label may join";
  return "admission is open because no admission mode was chosen: any key that knows the seeds and the cluster "
         "label may join. Close it with [admission] mode = \"allowlist\" or \"ca\" (docs/agent.md, \"[admission]\"), "
         "or set mode = \"open\" to choose it and silence this warning";
}

}  // namespace swell::agent
