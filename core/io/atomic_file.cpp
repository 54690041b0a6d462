#include "atomic_file.h"

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "numerics/input_error.h"

namespace uhop {
namespace {
std::string temp_name(const std::string& path) {
  return path + ".tmp." + std::to_string(::getpid());
}

// Writes the whole content to tmp; removes it and throws InputError (naming path) on failure.
void write_temp(const std::string& tmp, const std::string& path, const std::function<void(std::ostream&)>& write) {
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) throw input_error(path, std::string("cannot open for writing (") + std::strerror(errno) + ")");
  try {
    write(out);
  } catch (...) {
    out.close();
    std::remove(tmp.c_str());
    throw;
  }
  out.flush();
  if (!out) {
    out.close();
    std::remove(tmp.c_str());
    throw input_error(path, "write failed (disk full?)");
  }
}

void rename_into_place(const std::string& tmp, const std::string& path) {
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(tmp.c_str());
    throw input_error(path, "cannot move the finished file into place (" + reason + ")");
  }
}
}  // namespace

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  const std::string tmp = temp_name(path);
  write_temp(tmp, path, write);
  rename_into_place(tmp, path);
}

StagedFiles::~StagedFiles() {
  for (const auto& [tmp, path] : staged_) std::remove(tmp.c_str());
}

void StagedFiles::add(const std::string& path, const std::function<void(std::ostream&)>& write) {
  const std::string tmp = temp_name(path);
  write_temp(tmp, path, write);
  staged_.emplace_back(tmp, path);
}

void StagedFiles::commit() {
  // Renames are the only step left: they fail only if the directory vanished under us.
  while (!staged_.empty()) {
    rename_into_place(staged_.front().first, staged_.front().second);
    staged_.erase(staged_.begin());
  }
}

void write_bytes_atomically(const std::string& path, const void* data, size_t size) {
  write_file_atomically(path, [&](std::ostream& out) { out.write(static_cast<const char*>(data), size); });
}
}  // namespace uhop
