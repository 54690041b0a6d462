// CIFAR binary batches: fixed-size records, no header. CIFAR-10 (data_batch_*.bin, test_batch.bin): 3073 bytes =
// 1 label byte + 32x32 R plane + G plane + B plane. CIFAR-100 (train.bin, test.bin): 3074 bytes = coarse label +
// fine label + the same 3072 pixel bytes; we keep the fine label (0..99).
//
// Which one a file is: a name that says so wins (data_batch/test_batch or "cifar-10" -> CIFAR-10; train.bin,
// test.bin or "cifar-100" -> CIFAR-100) and the size must then be a multiple of that record; a name that says
// nothing is decided by which record size divides the file size (both dividing -> refused as ambiguous). Labels are
// checked too (0..9, or coarse 0..19 and fine 0..99), which catches most files that are not CIFAR at all.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "memory_sources.h"

namespace uhop {
enum class CifarKind { cifar10, cifar100 };
constexpr int kCifarSide = 32;
constexpr int kCifarPixelBytes = 3 * kCifarSide * kCifarSide;  // 3072

CifarKind cifar_kind(uint64_t size, const std::string& name);  // throws InputError as described above

struct CifarRecords {
  CifarKind kind = CifarKind::cifar10;
  int count = 0;
  size_t record_bytes = 0;  // 3073 or 3074
  const uint8_t* data = nullptr;
  std::vector<int> labels;  // fine labels for CIFAR-100
};
CifarRecords parse_cifar(const uint8_t* data, size_t size, const std::string& name);
// The same when the kind is already known (a part of a file, whose size alone may not tell; first_record: the file's
// number of its first record, for messages). A label out of range is named by its record and, when quote_content is
// false (a file named inside another data file), not by its value.
CifarRecords parse_cifar_as(CifarKind kind, const uint8_t* data, size_t size, const std::string& name,
                            bool quote_content = true, long long first_record = 0);

// True for names a CIFAR batch usually has (*.bin, data_batch*, test_batch*, cifar*).
bool looks_like_cifar(const std::string& path);

// A batch file; class names from batches.meta.txt / fine_label_names.txt next to it when present, else the
// CIFAR-10 names built in (none for CIFAR-100).
MemorySet load_cifar(const std::string& path, const LoadOptions& options, std::vector<std::string>* warnings,
                     const ProgressFn& progress, const std::string& source);
// The same from bytes in memory: the fuzzer's entry point.
MemorySet load_cifar_from_memory(const uint8_t* data, size_t size, const std::string& name, const LoadOptions& options);
}  // namespace uhop
