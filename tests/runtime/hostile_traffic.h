// Hostile traffic against one agent, from plain sockets on another thread: a UDP flood
// (random bytes, replays of captured valid datagrams, captured datagrams with their
// authenticator altered as if sealed under a wrong key, oversized datagrams) and TCP
// abuse (connections that send nothing, oversized length prefixes, garbage streams).
// Used by tests/runtime/hostile_traffic_test.cpp (short) and bench/swell_hostile.cpp (full).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "swell/agent.h"
#include "swell/rng.h"

namespace swell::test {

/// Datagrams a tap collected, for replay (thread-safe).
class DatagramCapture {
 public:
  /// A tap for FaultInjection::tap that keeps the first max datagrams.
  std::function<void(const std::string&, ByteView)> tap(std::size_t max) {
    return [this, max](const std::string&, ByteView bytes) {
      const std::lock_guard lock(mu_);
      if (kept_.size() < max) kept_.emplace_back(bytes.begin(), bytes.end());
    };
  }
  /// What was kept so far.
  std::vector<Bytes> kept() {
    const std::lock_guard lock(mu_);
    return kept_;
  }

 private:
  std::mutex mu_;
  std::vector<Bytes> kept_;
};

/// How many datagrams of each kind the flood sent.
struct FloodCounts {
  std::uint64_t random = 0, replayed = 0, wrong_key = 0, oversized = 0;
  /// All of them.
  [[nodiscard]] std::uint64_t total() const { return random + replayed + wrong_key + oversized; }
};

/// The 127.0.0.1 socket address for port.
inline sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

/// Sends rate datagrams per second to port for seconds, cycling through the four kinds.
inline FloodCounts udp_flood(std::uint16_t port, double seconds, int rate, const std::vector<Bytes>& captured,
                             std::uint64_t seed) {
  FloodCounts counts;
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return counts;
  const sockaddr_in to = loopback(port);
  Rng rng(seed);
  const auto t0 = std::chrono::steady_clock::now();
  const auto per_ms = std::max(1, rate / 1000);
  Bytes buf;
  for (std::uint64_t tick = 0;; ++tick) {
    const auto due = t0 + std::chrono::milliseconds(tick);
    if (std::chrono::duration<double>(due - t0).count() >= seconds) break;
    std::this_thread::sleep_until(due);  // pacing of the load generator, not a test decision
    for (int i = 0; i < per_ms; ++i) {
      const auto kind = (tick * per_ms + i) % 4;
      if (kind == 1 && !captured.empty()) {
        buf = captured[rng.below(captured.size())];
        ++counts.replayed;
      } else if (kind == 2 && !captured.empty()) {
        buf = captured[rng.below(captured.size())];
        for (std::size_t k = buf.size() > 16 ? buf.size() - 16 : 0; k < buf.size(); ++k) buf[k] ^= 0x5a;
        ++counts.wrong_key;
      } else if (kind == 3) {
        buf.assign(2000 + rng.below(4000), 0);
        for (auto& b : buf) b = static_cast<std::uint8_t>(rng.next());
        ++counts.oversized;
      } else {
        buf.assign(1 + rng.below(1200), 0);
        for (auto& b : buf) b = static_cast<std::uint8_t>(rng.next());
        ++counts.random;
      }
      (void)::sendto(fd, buf.data(), buf.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    }
  }
  ::close(fd);
  return counts;
}

/// A blocking TCP connection to 127.0.0.1:port; -1 on failure.
inline int tcp_connect(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  const sockaddr_in to = loopback(port);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// Opens `count` connections that send nothing; returns their descriptors (caller closes).
inline std::vector<int> idle_connections(std::uint16_t port, int count) {
  std::vector<int> fds;
  for (int i = 0; i < count; ++i) {
    const int fd = tcp_connect(port);
    if (fd >= 0) fds.push_back(fd);
  }
  return fds;
}

/// Sends each of `count` connections a length prefix of 4 GiB - 1, then closes it.
inline void oversized_prefixes(std::uint16_t port, int count) {
  const std::uint8_t prefix[4] = {0xff, 0xff, 0xff, 0xff};
  for (int i = 0; i < count; ++i) {
    const int fd = tcp_connect(port);
    if (fd < 0) continue;
    (void)::send(fd, prefix, sizeof prefix, MSG_NOSIGNAL);
    ::close(fd);
  }
}

/// Sends each of `count` connections a well-framed request of random bytes.
inline void garbage_streams(std::uint16_t port, int count, std::uint64_t seed) {
  Rng rng(seed);
  for (int i = 0; i < count; ++i) {
    const int fd = tcp_connect(port);
    if (fd < 0) continue;
    Bytes body(64 + rng.below(4000));
    for (auto& b : body) b = static_cast<std::uint8_t>(rng.next());
    const auto n = static_cast<std::uint32_t>(body.size());
    const std::uint8_t prefix[4] = {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                                    static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
    (void)::send(fd, prefix, sizeof prefix, MSG_NOSIGNAL);
    (void)::send(fd, body.data(), body.size(), MSG_NOSIGNAL);
    ::close(fd);
  }
}

/// This process's resident set in bytes.
inline std::uint64_t rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace swell::test
