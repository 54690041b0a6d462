// NumPy's .npy format (what np.save writes): the magic "\x93NUMPY", a version (1.0, 2.0 or 3.0), the length of a
// header (uint16 in version 1, uint32 in 2 and 3), the header itself, a Python dict literal such as
// "{'descr': '<f8', 'fortran_order': False, 'shape': (100, 784), }", then the values, C or Fortran order.
//
// Read: float32, float64 and the integer types (int8..int64, uint8..uint64, either byte order); object arrays
// ('|O', pickled Python objects), structured and string dtypes are refused. The shape is checked against the
// caller's cap before anything is allocated, and the file must be exactly as long as the header says.
// Written: float64 matrices (C order, version 1.0) and tables of named float64 columns (a structured array, one
// record per row, the way np.genfromtxt(..., names=True) or pandas.to_records would give them).
#pragma once
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "io/byte_stream.h"
#include "numerics/linalg_types.h"

namespace uhop {
// A header longer than this is refused (np.save writes about 128 bytes; NumPy's own default cap is 10000).
constexpr size_t kMaxNpyHeaderBytes = 1 << 16;

struct NpyHeader {
  int version = 1;
  char kind = 'f';  // 'f' float, 'i' signed, 'u' unsigned
  int item_bytes = 8;
  bool big_endian = false;
  bool fortran_order = false;
  std::vector<long long> shape;  // () is a scalar
  size_t data_offset = 0;        // bytes before the first value
  long long value_count = 1;     // product of shape
  std::string descr;             // as written, for messages ("<f8")
  uint64_t data_bytes() const { return static_cast<uint64_t>(value_count) * item_bytes; }
};

// Does the buffer start with the .npy magic?
bool is_npy(const uint8_t* data, size_t size);
// Parses the header at data (at least the header's bytes; the values need not be there). Throws InputError for a
// bad magic or version, a header over kMaxNpyHeaderBytes, a dict that is not exactly descr/fortran_order/shape, an
// unsupported dtype, a negative or overflowing shape, or more than max_values values. quote_content false (a file
// named inside another data file): messages say where in the header and what kind of problem, never its text.
NpyHeader parse_npy_header(const uint8_t* data, size_t size, const std::string& name, long long max_values,
                           bool quote_content = true);

// The header of a .npy stream positioned at its start, read to its end (the stream is left at the first value) and
// checked like parse_npy_header.
NpyHeader read_npy_header(ByteStream& in, const std::string& name, long long max_values, bool quote_content = true);
// Throws unless size (the whole .npy: header and values) is exactly data_offset + data_bytes; with quote_content
// false the message carries no number the header declares.
void check_npy_length(const NpyHeader& header, uint64_t size, const std::string& name, bool quote_content = true);

// Rows `rows` (ascending, distinct, each below shape[0]) of the array, read from `values` positioned at its first
// value: rows[k] becomes out.row(out_row[k]), the trailing dimensions flattened in C order whatever the file's order.
// Only those rows are read and held: C order stops after the last of them, Fortran order skips through each column's
// block. Throws when a float value is NaN or infinite, or when the values end early.
void read_npy_rows(const NpyHeader& header, ByteStream& values, const std::vector<long long>& rows,
                   const std::vector<int>& out_row, Matrix& out, const std::string& name);
// The values of a 1-D integer array (labels) at ascending positions `at`, as ints, read from `values` positioned at
// its first value. Throws when a value does not fit an int or the values end early.
std::vector<int> read_npy_ints(const NpyHeader& header, ByteStream& values, const std::vector<long long>& at,
                               const std::string& name);

// The values of a whole .npy buffer (data/size: the file) as doubles, shape[0] rows by the product of the other
// dimensions (a 1-D array is one row; a scalar refused), the rest flattened in C order whatever the file's order.
// Throws when the buffer is not exactly data_offset + data_bytes long, or when a float value is NaN or infinite.
Matrix npy_matrix(const NpyHeader& header, const uint8_t* data, size_t size, const std::string& name);

// A .npy file as a matrix (at most max_values values), header checked before the values are read.
Matrix read_npy_matrix(const std::string& path, long long max_values);
// A matrix file by its extension: .npy through read_npy_matrix, anything else as CSV (read_csv_matrix).
Matrix read_matrix_file(const std::string& path, long long max_values, bool refuse_symlinks = false);

// float64, C order, version 1.0, header padded to 64 bytes like np.save.
void write_npy_matrix(std::ostream& out, const Matrix& m);
// A structured array of float64 fields, one record per row: columns[k] holds the values of names[k] (all the same
// length). NaN stands for an empty cell.
void write_npy_table(std::ostream& out, const std::vector<std::string>& names,
                     const std::vector<std::vector<double>>& columns);
// True when path ends in .npy (case-insensitive): the writers pick the format by extension.
bool has_npy_extension(const std::string& path);
// write_npy_matrix for .npy paths, else CSV (write_csv_matrix).
void write_matrix_file(std::ostream& out, const std::string& path, const Matrix& m);
}  // namespace uhop
