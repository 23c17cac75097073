#pragma once
// Whether user text is safe to store and echo back into a channel: no control or bidi-override
// characters, no markup that would ping a crowd (@channel, <!here>) or turn into a link or a
// mention when a platform renders it. Pure; the renderers escape as well, this refuses earlier.

#include <optional>
#include <string>
#include <string_view>

namespace integrations::text {

struct echo_rules {
  bool allow_line_breaks = false;  // \n (and \r\n) allowed, e.g. in a rationale
  bool allow_urls = true;          // bare http(s):// addresses allowed (never link markup)
};

// What is wrong with s for echoing, in words a user understands ("contains a control
// character"), or nullopt when it is fine. Invalid UTF-8 is a problem too.
std::optional<std::string> echo_problem(std::string_view s, echo_rules rules = {});

}  // namespace integrations::text
