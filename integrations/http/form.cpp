#include "integrations/http/form.hpp"

#include "integrations/text/utf8.hpp"

#include <algorithm>

namespace integrations {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one name or value; offset is where it starts in the body and field the name of the field
// whose value this is ("" for a name), both for error messages.
result<std::string> decode(std::string_view in, std::size_t offset, std::string_view field) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    // Plain bytes are copied a run at a time; only '+' and '%' need decoding.
    const std::size_t special = std::min(in.find_first_of("+%", i), in.size());
    out.append(in.data() + i, special - i);
    i = special;
    if (i == in.size()) break;
    const char c = in[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= in.size())
        return error{"truncated percent-escape at byte " + std::to_string(offset + i)};
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0)
        return error{"invalid percent-escape at byte " + std::to_string(offset + i)};
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    }
  }
  if (!utf8::valid(out)) {
    const std::string what = field.empty() ? "field name" : "value of '" + std::string(field) + "'";
    return error{what + " at byte " + std::to_string(offset) + " is not valid UTF-8"};
  }
  // in_place_value: error is constructible from a string too, so say which side this is.
  return {boost::system::in_place_value, std::move(out)};
}

}  // namespace

std::size_t form::count(std::string_view name) const {
  std::size_t n = 0;
  for (const auto& f : fields_)
    if (f.name == name) ++n;
  return n;
}

result<std::optional<std::string_view>> form::single(std::string_view name) const {
  std::optional<std::string_view> found;
  for (const auto& f : fields_) {
    if (f.name != name) continue;
    if (found) return error{"field '" + std::string(name) + "' appears more than once"};
    found = f.value;
  }
  return found;
}

result<std::string_view> form::value_or_empty(std::string_view name) const {
  auto v = single(name);
  if (!v) return v.error();
  return v->value_or(std::string_view{});
}

result<form> parse_form(std::string_view body) {
  std::vector<form_field> fields;
  // Room for a typical command's fields in one allocation; capped, so a body of a million '&'
  // cannot make us reserve a million fields up front.
  fields.reserve(std::min<std::size_t>(
      static_cast<std::size_t>(std::count(body.begin(), body.end(), '&')) + 1, 32));
  std::size_t pos = 0;
  while (pos <= body.size()) {
    std::size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view segment = body.substr(pos, amp - pos);
    if (!segment.empty()) {
      const std::size_t eq = segment.find('=');
      const std::string_view raw_name = segment.substr(0, eq);
      const std::string_view raw_value =
          eq == std::string_view::npos ? std::string_view{} : segment.substr(eq + 1);
      if (raw_name.empty()) return error{"empty field name at byte " + std::to_string(pos)};
      auto name = decode(raw_name, pos, {});
      if (!name) return name.error();
      auto value = decode(raw_value, pos + raw_name.size() + 1, *name);
      if (!value) return value.error();
      fields.push_back({std::move(*name), std::move(*value)});
    }
    pos = amp + 1;
  }
  return form(std::move(fields));
}

bool form_has_exact_field(std::string_view body, std::string_view name, std::string_view value) {
  std::size_t pos = 0;
  while (pos <= body.size()) {
    std::size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view segment = body.substr(pos, amp - pos);
    if (segment.size() == name.size() + 1 + value.size() && segment.starts_with(name) &&
        segment[name.size()] == '=' && segment.ends_with(value))
      return true;
    pos = amp + 1;
  }
  return false;
}

}  // namespace integrations
