// Vectors and matrices as CSV: one row per line, comma-separated numbers, no header (the CLI's file contract).
//
// Read streaming with bounded memory: the file is read in 64 KiB pieces (never a whole line at once) and values go
// straight into the matrix's storage, so memory is the values themselves (8 bytes each, twice while the row-major
// values become the column-major matrix) whatever the file's layout. The caller states the most values it can use
// (max_values); more is refused as soon as it is seen, and so are more than kCsvBytesPerValue bytes per allowed
// value. Accepted: spaces or tabs around fields, LF, CRLF or CR line ends, blank lines, one UTF-8 byte-order mark at
// the start (spreadsheets write one). Refused with "file:line: field N ...": text, NaN/inf, values beyond ±1.8e308,
// empty fields, a NUL byte (binary data), fields longer than 128 characters, ragged rows.
#pragma once
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "numerics/linalg_types.h"

namespace uhop {
constexpr long long kCsvBytesPerValue = 64;  // "-1.2345678901234567e-308," is 25 bytes: generous for padding

// What was read, for callers that check a file against a record of it (a session's W side file).
struct CsvFileFacts {
  uint64_t bytes = 0;
  std::string hash;  // content_hash (io/file_bytes.h) of the bytes read
};
// quote_content: messages quote a short excerpt of the bad field (helps a user fix a file they named). false for a
// file whose name came from inside another data file (a session's source or side file): messages then give the
// position and the kind of problem, never the content (docs/hostile-input.md, "provenance").
Matrix read_csv_matrix(const std::string& path, long long max_values, bool refuse_symlinks = false,
                       CsvFileFacts* facts = nullptr, bool quote_content = true);
// The same parser over bytes in memory (the fuzzer's entry point) or a stream.
Matrix parse_csv_matrix(const char* data, size_t size, const std::string& name, long long max_values,
                        bool quote_content = true);
Matrix parse_csv_matrix(std::istream& in, const std::string& name, long long max_values);
// Full round-trip precision (%.17g). Written atomically.
void write_csv_matrix(const std::string& path, const Matrix& m);
void write_csv_matrix(std::ostream& out, const Matrix& m);
}  // namespace uhop
