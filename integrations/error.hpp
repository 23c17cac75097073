#pragma once
// The result type of every parse and verify function in integrations/: a value, or an error whose
// message says what was wrong with the input (it becomes the body of a 4xx answer).

#include <boost/system/result.hpp>

#include <stdexcept>
#include <string>

namespace integrations {

struct error {
  std::string message;
};

// Lets result<T, error>::value() throw when asked for a value it does not hold.
[[noreturn]] inline void throw_exception_from_error(const error& e, const boost::source_location&) {
  throw std::invalid_argument(e.message);
}

template <class T>
using result = boost::system::result<T, error>;

}  // namespace integrations
