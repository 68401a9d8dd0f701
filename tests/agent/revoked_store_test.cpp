#include <doctest/doctest.h>

#include <sys/stat.h>

#include "agent/revoked_store.h"
#include "agent/temp_dir.h"
#include "admission_fixtures.h"

using namespace swell;
using namespace swell::agent;
using swell::test::TempDir;

TEST_CASE("revoked keys round-trip through the data directory, oldest first") {
  TempDir dir;
  auto none = load_revoked_keys(dir.path());
  REQUIRE(none.ok());
  CHECK(none.value().empty());  // a first start: no file yet
  const std::vector<NodeId> keys{test::identity_of(9).id(), test::identity_of(3).id(), test::identity_of(7).id()};
  REQUIRE(save_revoked_keys(dir.path(), keys).ok());
  auto loaded = load_revoked_keys(dir.path());
  REQUIRE_MESSAGE(loaded.ok(), loaded.error().message);
  CHECK(loaded.value() == keys);  // file order, not sorted
  struct stat st {};
  REQUIRE(::stat(dir.at(kRevokedFileName).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // Saving again replaces the list.
  REQUIRE(save_revoked_keys(dir.path(), {keys[1]}).ok());
  CHECK(load_revoked_keys(dir.path()).value() == std::vector<NodeId>{keys[1]});
  REQUIRE(save_revoked_keys(dir.path(), {}).ok());
  CHECK(load_revoked_keys(dir.path()).value().empty());
}

TEST_CASE("a damaged revoked-keys.txt is an error, not an empty list") {
  TempDir dir;
  dir.write(kRevokedFileName, test::identity_of(1).id().to_hex() + "\nbroken\n");
  auto loaded = load_revoked_keys(dir.path());
  REQUIRE_FALSE(loaded.ok());
  INFO(loaded.error().message);
  CHECK(loaded.error().code == ErrorCode::invalid_config);
  CHECK(loaded.error().message.find(std::string(kRevokedFileName) + ":2:") != std::string::npos);
  CHECK(loaded.error().message.find("delete") != std::string::npos);
}

TEST_CASE("saving into a missing directory fails with the path") {
  TempDir dir;
  auto saved = save_revoked_keys(dir.at("gone"), {test::identity_of(1).id()});
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.error().code == ErrorCode::io);
  CHECK(saved.error().message.find(dir.at("gone")) != std::string::npos);
}
