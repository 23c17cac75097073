#pragma once
// The result type of knowledge/ functions that read outside data (playbook files, documents).

#include <boost/system/result.hpp>

#include <stdexcept>
#include <string>

namespace knowledge {

struct error {
  std::string message;
};

[[noreturn]] inline void throw_exception_from_error(const error& e, const boost::source_location&) {
  throw std::invalid_argument(e.message);
}

template <class T>
using result = boost::system::result<T, error>;

}  // namespace knowledge
