// Files are written atomically: to "path.tmp.<pid>" in the same directory, flushed, then renamed over the
// target. A failure part-way leaves the old file (or no file) in place and never a partial one.
#pragma once
#include <functional>
#include <ostream>
#include <string>

namespace uhop {
// Calls write(stream); on success renames into place. Throws InputError naming the path on any failure.
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);
void write_bytes_atomically(const std::string& path, const void* data, size_t size);
}  // namespace uhop
