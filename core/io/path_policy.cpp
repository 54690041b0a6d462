#include "path_policy.h"

#include <filesystem>

#include "numerics/input_error.h"

namespace uhop {
namespace fs = std::filesystem;

std::string resolve_inside_folder(const std::string& folder, const std::string& name, const std::string& where) {
  const std::string quoted = "'" + text_excerpt(name, 200) + "'";
  if (name.empty()) throw input_error(where, "must be a file name, got an empty one");
  if (name.find('\0') != std::string::npos)  // the system would see only the part before it
    throw input_error(where, "must be a file name without NUL bytes, got " + quoted);
  const fs::path relative(name);
  if (relative.is_absolute() || relative.has_root_name() || relative.has_root_directory())
    throw input_error(where, "must be a file name inside the session file's folder, got the absolute path " + quoted);
  for (const fs::path& part : relative)
    if (part == "..")
      throw input_error(
          where, "must be a file name inside the session file's folder, got " + quoted + " (\"..\" leaves the folder)");
  const fs::path base = folder.empty() ? fs::path(".") : fs::path(folder);
  const fs::path full = base / relative;
  // Symlinks: the resolved file must still be under the resolved folder (weakly_canonical resolves every link on
  // the way, including one at the end).
  std::error_code error;
  const fs::path real_base = fs::weakly_canonical(base, error);
  if (error) throw input_error(where, "cannot resolve the session file's folder (" + error.message() + ")");
  const fs::path real_full = fs::weakly_canonical(full, error);
  if (error) throw input_error(where, "cannot resolve " + quoted + " (" + error.message() + ")");
  auto b = real_base.begin(), f = real_full.begin();
  for (; b != real_base.end() && f != real_full.end(); ++b, ++f)
    if (*b != *f) break;
  const bool inside = b == real_base.end() && f != real_full.end();
  if (!inside) throw input_error(where, quoted + " leads out of the session file's folder (through a symbolic link)");
  return full.string();
}
}  // namespace uhop
