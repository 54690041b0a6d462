// Memories that arrive as one matrix read whole: CSV rows, NumPy .npy arrays and arrays inside .npz archives.
// Offset, pick and count apply to the rows after the file is read (like CSV: the whole array is parsed first, so
// its size is capped by LoadOptions::max_csv_values), then the per-memory normalization.
//
// .npy/.npz decisions: a 2-D array (M, d) is M memories of d values, shown as a strip (embeddings have no image
// shape); a 3-D array (M, H, W) is M gray images of H x W. float32/float64 values are used as given (NaN/inf
// refused); uint8 values are pixels and scaled to [0,1] like every image loader; other integer types as given.
// In an .npz, "FILE.npz:NAME" names the array; without a name the archive must hold one array besides an optional
// 1-D integer "labels" array, which gives the memories' labels when its length is M (--pick per-class uses them;
// another length is a warning and no labels).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "memory_sources.h"

namespace uhop {
// Offset, pick, count and normalization applied to a set read whole; format starts MemorySet::preprocessing.
MemorySet take_memories(const MemorySet& all, const LoadOptions& options, std::vector<std::string>* warnings,
                        const std::string& format);

MemorySet load_csv_memories(const std::string& path, const LoadOptions& options, std::vector<std::string>* warnings,
                            const ProgressFn& progress);
// SRC: "FILE.npy", "FILE.npz" or "FILE.npz:NAME".
MemorySet load_npy_memories(const std::string& src, const LoadOptions& options, std::vector<std::string>* warnings,
                            const ProgressFn& progress);
// The same from the bytes of a .npy or .npz file in memory (the fuzzer's entry point); array "" = the only one.
MemorySet load_npy_memories_from_memory(const uint8_t* data, size_t size, const std::string& name,
                                        const std::string& array, const LoadOptions& options);
// Is SRC a .npy file or an .npz archive (with or without ":NAME")?
bool is_npy_source(const std::string& src);
}  // namespace uhop
