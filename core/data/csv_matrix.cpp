#include "csv_matrix.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <istream>
#include <vector>

#include "io/atomic_file.h"
#include "io/file_bytes.h"
#include "numerics/input_error.h"

namespace uhop {
namespace {
constexpr size_t kMaxFieldChars = 128;

// A push parser: feed() takes the file in pieces of any size, finish() returns the matrix. State carries over piece
// boundaries, so no line is ever held whole.
class CsvParser {
 public:
  CsvParser(std::string name, long long max_values, bool quote_content)
      : name_(std::move(name)), max_values_(max_values), quote_(quote_content) {}

  void feed(const char* data, size_t size) {
    for (size_t i = 0; i < size; ++i) {
      const unsigned char c = static_cast<unsigned char>(data[i]);
      static const unsigned char kBom[3] = {0xEF, 0xBB, 0xBF};
      if (bom_state_ < 3) {  // a UTF-8 byte-order mark EF BB BF at the very start is skipped
        if (c == kBom[bom_state_]) {
          ++bom_state_;
          ++total_bytes_;
          continue;
        }
        field_.assign(reinterpret_cast<const char*>(kBom), bom_state_);  // not a mark after all: those were text
        line_has_content_ = bom_state_ > 0;
        bom_state_ = 3;
      }
      ++total_bytes_;
      const bool after_cr = after_cr_;
      after_cr_ = c == '\r';
      if (c == '\n' && after_cr) continue;  // the LF of a CRLF: the CR already ended the line
      if (c == '\n' || c == '\r') {         // LF, CRLF and old CR-only line ends
        end_line();
      } else if (c == '\0') {
        fail("contains a NUL byte (binary data, not CSV text)");
      } else if (c == ',') {
        end_field(false);
      } else if (c == ' ' || c == '\t') {
        if (!field_.empty()) after_field_space_ = true;  // "1 2" is caught when the next character arrives
      } else {
        if (after_field_space_)
          fail("unexpected character" + shown(std::string(1, static_cast<char>(c))) + " after field " +
               std::to_string(fields_in_row_ + 1) + shown(field_) + " and a space (fields are separated by commas)");
        if (field_.size() >= kMaxFieldChars)
          fail("field " + std::to_string(fields_in_row_ + 1) + " is longer than " + std::to_string(kMaxFieldChars) +
               " characters, not a number" + (quote_ ? ":" + shown(field_) : std::string()));
        field_ += static_cast<char>(c);
        line_has_content_ = true;
      }
    }
  }

  Matrix finish() {
    end_line();
    if (rows_ == 0) fail_at(name_, "no data (empty file)");
    Matrix m(rows_, cols_);
    for (long long r = 0; r < rows_; ++r)
      for (long long c = 0; c < cols_; ++c) m(r, c) = values_[static_cast<size_t>(r * cols_ + c)];
    return m;
  }

  long long byte_limit() const { return kCsvBytesPerValue * max_values_ + 4096; }
  long long bytes_seen() const { return total_bytes_; }

 private:
  // " 'excerpt'" for files the user named; "" for files named inside another data file (never echo their content).
  std::string shown(const std::string& text) const { return quote_ ? " " + quoted_excerpt(text) : std::string(); }
  [[noreturn]] void fail_at(const std::string& where, const std::string& what) const { throw input_error(where, what); }
  [[noreturn]] void fail(const std::string& what) const { fail_at(name_ + ":" + std::to_string(line_ + 1), what); }

  void end_field(bool at_line_end) {
    if (at_line_end && !line_has_content_ && fields_in_row_ == 0) return;  // blank line
    const std::string where = "field " + std::to_string(fields_in_row_ + 1);
    if (field_.empty()) fail(where + " is empty");
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(field_.c_str(), &end);
    if (end == field_.c_str())
      fail(where + " is not a number" + (quote_ ? ":" + shown(field_) : std::string()) +
           (static_cast<unsigned char>(field_[0]) >= 0x80 ? " (non-ASCII text)" : ""));
    if (end != field_.c_str() + field_.size())
      fail("unexpected character" + shown(std::string(1, *end)) + " after the number in " + where + shown(field_) +
           " (fields are separated by commas)");
    if (errno == ERANGE && std::isinf(v))
      fail(where + " is out of range (beyond ±1.8e308)" + (quote_ ? ":" + shown(field_) : std::string()));
    if (!std::isfinite(v)) fail(where + " is not finite" + (quote_ ? ":" + shown(field_) : std::string()));
    if (static_cast<long long>(values_.size()) >= max_values_)
      fail_at(name_, "has more than " + std::to_string(max_values_) + " values, the most this use accepts");
    values_.push_back(v);
    ++fields_in_row_;
    field_.clear();
    after_field_space_ = false;
    line_has_content_ = true;
  }

  void end_line() {
    if (line_has_content_ || fields_in_row_ > 0) {
      end_field(true);
      if (cols_ < 0) cols_ = fields_in_row_;
      if (fields_in_row_ != cols_)
        fail("row has " + std::to_string(fields_in_row_) + " fields, expected " + std::to_string(cols_) +
             " like the first row");
      ++rows_;
    }
    fields_in_row_ = 0;
    field_.clear();
    after_field_space_ = false;
    line_has_content_ = false;
    ++line_;
  }

  std::string name_;
  long long max_values_;
  bool quote_;
  std::vector<double> values_;
  std::string field_;
  long long line_ = 0, rows_ = 0, cols_ = -1, fields_in_row_ = 0, total_bytes_ = 0;
  bool line_has_content_ = false, after_field_space_ = false, after_cr_ = false;
  int bom_state_ = 0;
};

void check_byte_limit(const CsvParser& parser, const std::string& name) {
  if (parser.bytes_seen() > parser.byte_limit())
    throw input_error(name, "is more than " + std::to_string(parser.byte_limit()) +
                                " bytes, too large for the values this use accepts");
}
}  // namespace

Matrix parse_csv_matrix(const char* data, size_t size, const std::string& name, long long max_values,
                        bool quote_content) {
  CsvParser parser(name, max_values, quote_content);
  for (size_t at = 0; at < size; at += 1 << 16) {
    parser.feed(data + at, std::min<size_t>(1 << 16, size - at));
    check_byte_limit(parser, name);
  }
  return parser.finish();
}

Matrix parse_csv_matrix(std::istream& in, const std::string& name, long long max_values) {
  CsvParser parser(name, max_values, true);
  std::vector<char> piece(1 << 16);
  while (in) {
    in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    parser.feed(piece.data(), static_cast<size_t>(in.gcount()));
    check_byte_limit(parser, name);
  }
  return parser.finish();
}

Matrix read_csv_matrix(const std::string& path, long long max_values, bool refuse_symlinks, CsvFileFacts* facts,
                       bool quote_content) {
  ReadableFile file(path, refuse_symlinks);
  CsvParser parser(path, max_values, quote_content);
  ContentHasher hasher;
  std::vector<char> piece(1 << 16);
  while (const size_t got = file.read_some(piece.data(), piece.size())) {
    if (facts) hasher.add(piece.data(), got);
    parser.feed(piece.data(), got);
    check_byte_limit(parser, path);
  }
  if (parser.bytes_seen() == 0) throw input_error(path, "empty file (0 bytes)");
  if (facts) *facts = {static_cast<uint64_t>(parser.bytes_seen()), hasher.text()};
  return parser.finish();
}

void write_csv_matrix(std::ostream& out, const Matrix& m) {
  char buf[32];
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      std::snprintf(buf, sizeof buf, "%.17g", m(r, c));
      if (c) out << ',';
      out << buf;
    }
    out << '\n';
  }
}

void write_csv_matrix(const std::string& path, const Matrix& m) {
  write_file_atomically(path, [&](std::ostream& out) { write_csv_matrix(out, m); });
}
}  // namespace uhop
