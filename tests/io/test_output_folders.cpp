// Outputs inside folders a command creates (core/io/output_folders.h): checked before they exist, created only for
// the commit, removed again when the commit fails.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "cli_runner.h"
#include "io/output_folders.h"
#include "numerics/input_error.h"
#include "text_files.h"

namespace {
namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using uhop::check_output_in_new_folders;
}  // namespace

TEST_CASE("outputs in folders not made yet are checked without making them", "[io][outputs]") {
  cli::TempDir dir;
  uhop_test::put(dir / "file", "x");
  fs::create_directories(dir.path / "taken" / "out.csv");
  CHECK_NOTHROW(check_output_in_new_folders(dir / "new/deeper/out.csv"));
  CHECK_NOTHROW(check_output_in_new_folders(dir / "out.csv"));
  CHECK_THROWS_WITH(check_output_in_new_folders(dir / "file/sub/out.csv"), Contains("is not a folder"));
  CHECK_THROWS_WITH(check_output_in_new_folders(dir / "taken/out.csv"), Contains("is a folder"));
  CHECK_THROWS_WITH(check_output_in_new_folders(dir / ("new/" + std::string(300, 'n') + "/out.csv")),
                    Contains("is longer than the"));
  CHECK_FALSE(fs::exists(dir.path / "new"));
  if (::geteuid() != 0) {  // root writes anywhere
    fs::create_directories(dir.path / "locked");
    ::chmod((dir / "locked").c_str(), 0500);
    CHECK_THROWS_WITH(check_output_in_new_folders(dir / "locked/new/out.csv"), Contains("is not writable"));
    ::chmod((dir / "locked").c_str(), 0700);
  }
}

TEST_CASE("folders made for a commit that failed are removed again, unless something else is in them",
          "[io][outputs]") {
  cli::TempDir dir;
  fs::create_directories(dir.path / "kept");
  {
    uhop::CreatedFolders folders;
    folders.create(dir / "a/b/c");
    folders.create(dir / "kept/d");
    CHECK(fs::is_directory(dir.path / "a" / "b" / "c"));
  }  // no keep(): the commit failed
  CHECK_FALSE(fs::exists(dir.path / "a"));
  CHECK_FALSE(fs::exists(dir.path / "kept" / "d"));
  CHECK(fs::is_directory(dir.path / "kept"));  // it was there before
  {
    uhop::CreatedFolders folders;
    folders.create(dir / "a/b");
    uhop_test::put(dir / "a/other.txt", "someone else's");
  }
  CHECK_FALSE(fs::exists(dir.path / "a" / "b"));
  CHECK(fs::exists(dir.path / "a" / "other.txt"));
  {
    uhop::CreatedFolders folders;
    folders.create(dir / "x/y");
    folders.keep();
  }
  CHECK(fs::is_directory(dir.path / "x" / "y"));
  uhop_test::put(dir / "f", "x");
  uhop::CreatedFolders folders;
  CHECK_THROWS_WITH(folders.create(dir / "f/g"), Contains("cannot create the directory"));
}
