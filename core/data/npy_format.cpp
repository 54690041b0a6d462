#include "npy_format.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstring>
#include <ostream>

#include "csv_matrix.h"
#include "io/file_bytes.h"
#include "numerics/input_error.h"

namespace uhop {
namespace {
constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicBytes = 6;

// A strict reader of the header dict: string keys, values a string, True/False or a tuple of whole numbers.
class HeaderDict {
 public:
  HeaderDict(const std::string& text, const std::string& name, bool quote_content)
      : text_(text), name_(name), quote_content_(quote_content) {}

  void parse(NpyHeader& h) {
    bool have_descr = false, have_order = false, have_shape = false;
    expect('{');
    for (;;) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = string_literal();
      expect(':');
      skip_space();
      if (key == "descr") {
        if (peek() == '[') fail("structured dtype (a list of fields) is not supported: save a plain float array");
        parse_descr(string_literal(), h);
        have_descr = true;
      } else if (key == "fortran_order") {
        h.fortran_order = boolean();
        have_order = true;
      } else if (key == "shape") {
        h.shape = tuple();
        have_shape = true;
      } else {
        fail("unexpected key " + quoted(key) + "in the header");
      }
      skip_space();
      if (peek() == ',') ++pos_;
    }
    ++pos_;
    for (; pos_ < text_.size(); ++pos_)
      if (text_[pos_] != ' ' && text_[pos_] != '\n') fail("unexpected text after the header dict");
    if (!have_descr || !have_order || !have_shape)
      fail("header lacks one of 'descr', 'fortran_order', 'shape' (not written by np.save?)");
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw input_error(name_, ".npy header: " + what); }
  // 'excerpt' followed by a space from a file the user named; from a file named inside another data file, where it
  // is instead (content is never echoed from those, docs/hostile-input.md "Provenance").
  std::string quoted(const std::string& token) const {
    return quote_content_ ? quoted_excerpt(token) + " " : "(ending at byte " + std::to_string(pos_) + ") ";
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n')) ++pos_;
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) fail(std::string("expected '") + c + "' at byte " + std::to_string(pos_));
    ++pos_;
  }
  std::string string_literal() {
    skip_space();
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("expected a quoted string at byte " + std::to_string(pos_));
    const size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string::npos) fail("unterminated string");
    std::string s = text_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    return s;
  }
  bool boolean() {
    if (text_.compare(pos_, 4, "True") == 0) return pos_ += 4, true;
    if (text_.compare(pos_, 5, "False") == 0) return pos_ += 5, false;
    fail("fortran_order is neither True nor False");
  }
  std::vector<long long> tuple() {
    if (peek() != '(') fail("shape is not a tuple");
    ++pos_;
    std::vector<long long> dims;
    for (;;) {
      skip_space();
      if (peek() == ')') break;
      if (!std::isdigit(static_cast<unsigned char>(peek()))) fail("shape holds something other than whole numbers");
      long long v = 0;
      while (std::isdigit(static_cast<unsigned char>(peek()))) {
        if (v > (LLONG_MAX - 9) / 10) fail("a dimension of the shape overflows");
        v = v * 10 + (text_[pos_++] - '0');
      }
      if (peek() == 'L') ++pos_;  // Python 2 longs
      dims.push_back(v);
      if (dims.size() > 32) fail("more than 32 dimensions");
      skip_space();
      if (peek() == ',')
        ++pos_;
      else if (peek() != ')')
        fail("malformed shape tuple");
    }
    ++pos_;
    return dims;
  }
  void parse_descr(const std::string& d, NpyHeader& h) {
    h.descr = d;
    if (d.size() < 3 || d.find_first_of("O") != std::string::npos)
      fail("dtype " + quoted(d) + "is refused: object arrays hold pickled Python objects, never loaded");
    const char order = d[0], kind = d[1];
    const std::string digits = d.substr(2);
    if (order != '<' && order != '>' && order != '|' && order != '=')
      fail("dtype " + quoted(d) + "has an unknown byte order");
    if (kind != 'f' && kind != 'i' && kind != 'u')
      fail("dtype " + quoted(d) + "is not supported (expected float32, float64 or an integer type)");
    int bytes = 0;
    if (digits == "1" || digits == "2" || digits == "4" || digits == "8") bytes = digits[0] - '0';
    if (bytes == 0 || (kind == 'f' && bytes < 4))
      fail("dtype " + quoted(d) + "is not supported (expected float32, float64 or an integer type)");
    h.kind = kind;
    h.item_bytes = bytes;
    h.big_endian = order == '>';
  }

  const std::string& text_;
  const std::string& name_;
  bool quote_content_;
  size_t pos_ = 0;
};

template <typename T>
T load_value(const uint8_t* p, bool swap) {
  uint8_t bytes[sizeof(T)];
  std::memcpy(bytes, p, sizeof(T));
  if (swap) std::reverse(bytes, bytes + sizeof(T));
  T v;
  std::memcpy(&v, bytes, sizeof(T));
  return v;
}

// One value as a double (integers up to 2^53 exactly).
double value_at(const NpyHeader& h, const uint8_t* p) {
  const bool swap = h.big_endian;  // this machine is little-endian (checked in write_npy_matrix's static_assert)
  if (h.kind == 'f') return h.item_bytes == 4 ? load_value<float>(p, swap) : load_value<double>(p, swap);
  if (h.kind == 'i') {
    switch (h.item_bytes) {
      case 1:
        return static_cast<int8_t>(p[0]);
      case 2:
        return load_value<int16_t>(p, swap);
      case 4:
        return load_value<int32_t>(p, swap);
      default:
        return static_cast<double>(load_value<int64_t>(p, swap));
    }
  }
  switch (h.item_bytes) {
    case 1:
      return p[0];
    case 2:
      return load_value<uint16_t>(p, swap);
    case 4:
      return load_value<uint32_t>(p, swap);
    default:
      return static_cast<double>(load_value<uint64_t>(p, swap));
  }
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// "{'descr': ..., }" padded with spaces and a newline so the values start at a multiple of 64, like np.save.
void write_header(std::ostream& out, const std::string& descr, const std::string& shape) {
  std::string dict = "{'descr': " + descr + ", 'fortran_order': False, 'shape': " + shape + ", }";
  const size_t fixed = kMagicBytes + 2 + 2;
  const size_t total = (fixed + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - fixed - dict.size() - 1, ' ');
  dict.push_back('\n');
  out.write(kMagic, kMagicBytes);
  const uint8_t version_and_length[4] = {1, 0, static_cast<uint8_t>(dict.size() & 0xff),
                                         static_cast<uint8_t>(dict.size() >> 8)};
  out.write(reinterpret_cast<const char*>(version_and_length), 4);
  out << dict;
}
}  // namespace

bool is_npy(const uint8_t* data, size_t size) {
  return size >= kMagicBytes && std::memcmp(data, kMagic, kMagicBytes) == 0;
}

NpyHeader parse_npy_header(const uint8_t* data, size_t size, const std::string& name, long long max_values,
                           bool quote_content) {
  if (!is_npy(data, size)) throw input_error(name, "not a .npy file (no \\x93NUMPY magic)");
  if (size < 10) throw input_error(name, "truncated .npy header");
  NpyHeader h;
  h.version = data[6];
  if (h.version < 1 || h.version > 3)
    throw input_error(name, ".npy version " +
                                (quote_content ? std::to_string(h.version) + "." + std::to_string(data[7]) + " "
                                               : std::string("(byte 6) ")) +
                                "is not supported (1.0, 2.0 and 3.0 are)");
  size_t length = 0, start = 10;
  if (h.version == 1) {
    length = data[8] | (static_cast<size_t>(data[9]) << 8);
  } else {
    if (size < 12) throw input_error(name, "truncated .npy header");
    length = data[8] | (static_cast<size_t>(data[9]) << 8) | (static_cast<size_t>(data[10]) << 16) |
             (static_cast<size_t>(data[11]) << 24);
    start = 12;
  }
  if (length > kMaxNpyHeaderBytes)
    throw input_error(name, ".npy header" + (quote_content ? " of " + std::to_string(length) + " bytes" : "") +
                                " is longer than the " + std::to_string(kMaxNpyHeaderBytes) + " bytes allowed");
  if (size < start + length) throw input_error(name, "truncated .npy header");
  const std::string text(reinterpret_cast<const char*>(data) + start, length);
  for (unsigned char c : text)
    if (c < 0x20 && c != '\n') throw input_error(name, ".npy header holds a control byte");
  HeaderDict(text, name, quote_content).parse(h);
  h.data_offset = start + length;
  if (h.item_bytes == 1 && h.big_endian) h.big_endian = false;
  h.value_count = 1;
  for (long long dim : h.shape) {
    if (dim == 0) throw input_error(name, "the array is empty (a dimension of its shape is 0)");
    if (dim > max_values || h.value_count > max_values / dim)
      throw input_error(name, "the array holds more than " + std::to_string(max_values) + " values (the limit)");
    h.value_count *= dim;
  }
  return h;
}

NpyHeader read_npy_header(ByteStream& in, const std::string& name, long long max_values, bool quote_content) {
  std::vector<uint8_t> head(12);
  head.resize(in.read(head.data(), 10));
  if (head.size() == 10 && is_npy(head.data(), head.size()) && head[6] >= 2) {  // version 2 and 3: 4-byte length
    head.resize(12);
    head.resize(10 + in.read(head.data() + 10, 2));
  }
  // The length is checked by parse_npy_header (a longer one is refused before it is read).
  if (head.size() >= 10 && is_npy(head.data(), head.size())) {
    size_t length = head[8] | (static_cast<size_t>(head[9]) << 8);
    if (head.size() == 12) length |= (static_cast<size_t>(head[10]) << 16) | (static_cast<size_t>(head[11]) << 24);
    if (length <= kMaxNpyHeaderBytes) {
      const size_t fixed = head.size();
      head.resize(fixed + length);
      head.resize(fixed + in.read(head.data() + fixed, length));
    }
  }
  return parse_npy_header(head.data(), head.size(), name, max_values, quote_content);
}

void check_npy_length(const NpyHeader& h, uint64_t size, const std::string& name, bool quote_content) {
  const uint64_t expected = h.data_offset + h.data_bytes();
  if (size < expected)
    throw input_error(name, quote_content ? "truncated .npy: the header promises " + std::to_string(h.data_bytes()) +
                                                " bytes of values, the file has " +
                                                std::to_string(size - std::min<uint64_t>(size, h.data_offset))
                                          : std::string("truncated .npy: fewer values than the header promises"));
  if (size > expected)
    throw input_error(name, (quote_content ? std::to_string(size - expected) + " bytes" : std::string("bytes")) +
                                " after the array's values (not one np.save array?)");
}

namespace {
// Reads runs of values from a stream that only moves forward: `at` is a value's place in the file.
class ValueCursor {
 public:
  ValueCursor(ByteStream& in, const NpyHeader& h, const std::string& name) : in_(in), h_(h), name_(name) {}
  // count values starting at value index at (not before the last run's end), as raw bytes.
  const uint8_t* run(uint64_t at, size_t count) {
    const uint64_t item = static_cast<uint64_t>(h_.item_bytes);
    if (at * item > position_ && in_.skip(at * item - position_) != at * item - position_) truncated();
    buffer_.resize(count * item);
    if (in_.read(buffer_.data(), buffer_.size()) != buffer_.size()) truncated();
    position_ = (at + count) * item;
    return buffer_.data();
  }

 private:
  [[noreturn]] void truncated() const {
    throw input_error(name_, "truncated .npy: the values end before the header says they do");
  }
  ByteStream& in_;
  const NpyHeader& h_;
  const std::string& name_;
  std::vector<uint8_t> buffer_;
  uint64_t position_ = 0;  // bytes of values consumed
};

double checked_value(const NpyHeader& h, const uint8_t* p, long long row, long long column, const std::string& name) {
  const double v = value_at(h, p);
  if (!std::isfinite(v))
    throw input_error(name, "value at row " + std::to_string(row) + ", column " + std::to_string(column) + " is " +
                                (std::isnan(v) ? "NaN" : "infinite"));
  return v;
}

// Fortran order: the C-order column of the b-th block (the trailing indices with the first of them fastest).
long long c_column_of_block(const std::vector<long long>& shape, long long block) {
  long long column = 0;
  std::vector<long long> index(shape.size(), 0);
  for (size_t k = 1; k < shape.size(); ++k) index[k] = block % shape[k], block /= shape[k];
  for (size_t k = 1; k < shape.size(); ++k) column = column * shape[k] + index[k];
  return column;
}
}  // namespace

void read_npy_rows(const NpyHeader& h, ByteStream& values, const std::vector<long long>& rows,
                   const std::vector<int>& out_row, Matrix& out, const std::string& name) {
  if (h.shape.empty()) throw input_error(name, "the array is a scalar, expected rows of values");
  const long long total = h.shape.size() == 1 ? 1 : h.shape[0];
  const long long cols = h.value_count / total;
  ValueCursor cursor(values, h, name);
  const size_t item = static_cast<size_t>(h.item_bytes);
  if (!h.fortran_order || h.shape.size() == 1) {  // C order: each row's values together
    for (size_t k = 0; k < rows.size(); ++k) {
      const uint8_t* p = cursor.run(static_cast<uint64_t>(rows[k]) * cols, static_cast<size_t>(cols));
      for (long long j = 0; j < cols; ++j) out(out_row[k], j) = checked_value(h, p + j * item, rows[k], j, name);
    }
    return;
  }
  // Fortran order: block b holds one trailing index for every row; runs of consecutive rows are read together.
  constexpr size_t kMostPerRun = 1 << 14;
  for (long long b = 0; b < cols; ++b) {
    const long long j = c_column_of_block(h.shape, b);
    for (size_t k = 0; k < rows.size();) {
      size_t end = k + 1;
      while (end < rows.size() && end - k < kMostPerRun && rows[end] == rows[end - 1] + 1) ++end;
      const uint8_t* p = cursor.run(static_cast<uint64_t>(b) * total + rows[k], end - k);
      for (size_t r = k; r < end; ++r) out(out_row[r], j) = checked_value(h, p + (r - k) * item, rows[r], j, name);
      k = end;
    }
  }
}

std::vector<int> read_npy_ints(const NpyHeader& h, ByteStream& values, const std::vector<long long>& at,
                               const std::string& name) {
  if (h.shape.size() != 1 || h.kind == 'f') throw input_error(name, "expected a 1-D integer array");
  ValueCursor cursor(values, h, name);
  std::vector<int> out(at.size());
  for (size_t k = 0; k < at.size(); ++k) {
    const double v = value_at(h, cursor.run(static_cast<uint64_t>(at[k]), 1));
    if (v < INT_MIN || v > INT_MAX) throw input_error(name, "value " + std::to_string(at[k]) + " does not fit an int");
    out[k] = static_cast<int>(v);
  }
  return out;
}

Matrix npy_matrix(const NpyHeader& h, const uint8_t* data, size_t size, const std::string& name) {
  if (h.shape.empty()) throw input_error(name, "the array is a scalar, expected rows of values");
  check_npy_length(h, size, name);
  const long long rows = h.shape.size() == 1 ? 1 : h.shape[0];
  const long long cols = h.value_count / rows;
  if (rows > INT_MAX || cols > INT_MAX) throw input_error(name, "a dimension of the array is over 2^31");
  std::vector<long long> all(static_cast<size_t>(rows));
  std::vector<int> out_row(all.size());
  for (long long i = 0; i < rows; ++i) all[i] = out_row[i] = static_cast<int>(i);
  Matrix m(rows, cols);
  MemoryByteStream values(data + h.data_offset, size - h.data_offset);
  read_npy_rows(h, values, all, out_row, m, name);
  return m;
}

Matrix read_npy_matrix(const std::string& path, long long max_values) {
  const std::vector<uint8_t> head = read_file_prefix(path, kMaxNpyHeaderBytes + 12);
  const NpyHeader h = parse_npy_header(head.data(), head.size(), path, max_values);
  const std::vector<uint8_t> bytes = read_whole_file(path, h.data_offset + h.data_bytes() + 1);
  return npy_matrix(parse_npy_header(bytes.data(), bytes.size(), path, max_values), bytes.data(), bytes.size(), path);
}

bool has_npy_extension(const std::string& path) {
  const std::string l = lower(path);
  return l.size() >= 4 && l.compare(l.size() - 4, 4, ".npy") == 0;
}

Matrix read_matrix_file(const std::string& path, long long max_values, bool refuse_symlinks) {
  if (has_npy_extension(path)) return read_npy_matrix(path, max_values);
  return read_csv_matrix(path, max_values, refuse_symlinks);
}

void write_npy_matrix(std::ostream& out, const Matrix& m) {
  static_assert(sizeof(double) == 8, "float64");
  write_header(out, "'<f8'", "(" + std::to_string(m.rows()) + ", " + std::to_string(m.cols()) + ")");
  const RowMatrix rows = m;  // C order
  out.write(reinterpret_cast<const char*>(rows.data()), static_cast<std::streamsize>(rows.size() * sizeof(double)));
}

void write_npy_table(std::ostream& out, const std::vector<std::string>& names,
                     const std::vector<std::vector<double>>& columns) {
  std::string descr = "[";
  for (const std::string& n : names) descr += "('" + n + "', '<f8'), ";
  descr += "]";
  const size_t count = columns.empty() ? 0 : columns.front().size();
  write_header(out, descr, "(" + std::to_string(count) + ",)");
  for (size_t r = 0; r < count; ++r)
    for (const auto& column : columns) out.write(reinterpret_cast<const char*>(&column[r]), sizeof(double));
}

void write_matrix_file(std::ostream& out, const std::string& path, const Matrix& m) {
  if (has_npy_extension(path))
    write_npy_matrix(out, m);
  else
    write_csv_matrix(out, m);
}
}  // namespace uhop
