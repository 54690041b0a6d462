// Reading whole files and gzip data with sizes checked first, so a bad or hostile file cannot make us allocate
// without bound. Errors are InputError "path: problem".
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace uhop {
// Size of a regular file; throws for a missing path, a directory or an unreadable entry.
uint64_t regular_file_size(const std::string& path);

// Reads at most max_bytes from the start of the file (all of it when it is smaller).
std::vector<uint8_t> read_file_prefix(const std::string& path, uint64_t max_bytes);

// Reads the whole file; throws when it is empty or larger than max_bytes (what the caller can accept).
std::vector<uint8_t> read_whole_file(const std::string& path, uint64_t max_bytes);

// A hint for big buffers about to be filled: back them with transparent huge pages where Linux allows it. Filling
// a fresh 376 MB matrix (60000 x 784 doubles) otherwise costs ~92k page faults, which dominate on some VMs.
void advise_huge_pages(void* data, size_t bytes);

// gzip magic 1f 8b.
bool is_gzip(const uint8_t* data, size_t size);

// Inflates gzip (or zlib) data, concatenated members included, stopping once max_output bytes are produced (the
// caller compares the result with what it expects). With allow_truncated, running out of input early just returns
// what was inflated (for reading a header from a file prefix); otherwise it throws "truncated gzip data".
std::vector<uint8_t> gunzip(const uint8_t* data, size_t size, const std::string& name, size_t max_output,
                            bool allow_truncated = false);
}  // namespace uhop
