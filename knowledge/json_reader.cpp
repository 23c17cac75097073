#include "knowledge/json_reader.hpp"

namespace knowledge::detail {

double read_number(const json::value& v, const std::string& path, double min, double max) {
  double d = 0;
  if (v.is_int64()) {
    d = static_cast<double>(v.get_int64());
  } else if (v.is_uint64()) {
    d = static_cast<double>(v.get_uint64());
  } else if (v.is_double()) {
    d = v.get_double();
  } else {
    throw load_failure{path + ": expected a number"};
  }
  if (!(d >= min && d <= max))
    throw load_failure{path + ": must be between " + std::to_string(min) + " and " +
                       std::to_string(max)};
  return d;
}

}  // namespace knowledge::detail
