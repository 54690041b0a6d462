// Where files named inside data files may live. A session file names its W side files ("w": {"file": ...}); such a
// name is data, not a path the user typed, so it must stay inside the session file's folder: a plain relative name,
// no "..", not absolute, and no symlink (of a folder on the way or of the file itself) that leads out of the folder.
// Refusals quote the name (made printable) and never read, let alone echo, what the name points at.
#pragma once
#include <string>

namespace uhop {
// The path of name inside folder (folder "" = the current folder), or throws InputError "where: problem".
std::string resolve_inside_folder(const std::string& folder, const std::string& name, const std::string& where);
}  // namespace uhop
