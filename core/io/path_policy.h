// Where files named inside data files may live. A session file names its W side files ("w": {"file": ...}); such a
// name is data, not a path the user typed, so it must stay inside the session file's folder: a plain relative name,
// no "..", not absolute, and no symlink (of a folder on the way or of the file itself).
// Refusals quote the name (made printable) and never read, let alone echo, what the name points at.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace uhop {
// The path of name inside folder (folder "" = the current folder), or throws InputError "where: problem". A check
// by path only: reading must go through read_file_inside_folder, which cannot be raced.
std::string resolve_inside_folder(const std::string& folder, const std::string& name, const std::string& where);

// Reads the file name inside folder through one descriptor chain, so nothing can swap a symlink in between a check
// and the read: the folder is opened once (the user's own path: links allowed), then every component of name with
// openat(..., O_NOFOLLOW) relative to the previous one (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS would do the
// same in one call where the kernel has it). A symlink anywhere in name, a non-regular file, or more than max_bytes
// is refused naming only the name. The bytes are the caller's to verify (size, hash) before parsing them.
std::vector<uint8_t> read_file_inside_folder(const std::string& folder, const std::string& name, uint64_t max_bytes,
                                             const std::string& where);
}  // namespace uhop
