#include "integrations/jira/api.hpp"

#include "integrations/tickets/api_call.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/evp.h>

namespace integrations::jira {

namespace json = boost::json;
using tickets::api_failure;
using tickets::api_result;

namespace {

std::string base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Comments are listed 100 at a time; a ticket with more than 100,000 comments is not one we
// should be scanning, and the bound keeps a misbehaving server from looping us forever.
constexpr std::size_t max_pages = 1000;

std::string issue_key(const tickets::ticket& t) { return t.number.empty() ? t.project_id : t.number; }

std::string name_of(const json::object& fields, std::string_view field) {
  const auto* v = fields.if_contains(field);
  if (v == nullptr || !v->is_object()) return "";
  return tickets::string_of(v->get_object().if_contains("name"));
}

bool has_marker(const json::value& comment) {
  const auto* o = comment.if_object();
  const auto* props = o ? o->if_contains("properties") : nullptr;
  if (props == nullptr || !props->is_array()) return false;
  for (const auto& p : props->get_array())
    if (p.is_object() && tickets::string_of(p.get_object().if_contains("key")) == comment_property) return true;
  return false;
}

// The comment's JSON with its "body": Cloud's ADF document as an object (it arrives as JSON
// text), Data Center's wiki markup as a string.
api_result<json::object> comment_object(deployment kind, std::string_view body) {
  json::object o;
  if (kind == deployment::cloud) {
    boost::system::error_code ec;
    auto doc = json::parse(body, ec);
    if (ec || !doc.is_object()) return tickets::permanent("the Jira Cloud comment body is not an ADF JSON object");
    o["body"] = std::move(doc);
  } else {
    o["body"] = body;
  }
  return o;
}

}  // namespace

api::api(const http::client& client, api_settings settings)
    : client_(client), settings_(std::move(settings)), base_(tickets::trim_base(settings_.base_url)) {
  authorization_ = settings_.kind == deployment::cloud ? "Basic " + base64(settings_.user + ":" + settings_.token)
                                                       : "Bearer " + settings_.token;
}

http::request_options api::options() const {
  http::request_options o;
  o.headers.push_back({"Authorization", authorization_});
  o.headers.push_back({"Accept", "application/json"});
  return o;
}

std::string api::comments_path(const tickets::ticket& t) const {
  // Cloud writes comments through v3 (ADF); Data Center has only v2 (wiki markup).
  const char* version = settings_.kind == deployment::cloud ? "3" : "2";
  return base_ + "/rest/api/" + version + "/issue/" + tickets::encode_segment(issue_key(t)) + "/comment";
}

api_result<tickets::issue_content> api::fetch_issue(const tickets::ticket& t) {
  if (issue_key(t).empty()) return tickets::permanent("the Jira ticket has no issue key");
  const auto address = base_ + "/rest/api/2/issue/" + tickets::encode_segment(issue_key(t)) +
                       "?fields=summary,description,labels,issuetype,project,status,resolution,attachment";
  auto r = tickets::call(client_, "GET", address, "", options());
  if (!r) return r.error();
  auto v = tickets::parse_json(*r, "Jira's issue");
  if (!v) return v.error();
  const auto* root = v->if_object();
  const auto* fields_v = root ? root->if_contains("fields") : nullptr;
  if (fields_v == nullptr || !fields_v->is_object())
    return tickets::permanent("Jira's issue has no fields object", r->status);
  const auto& fields = fields_v->get_object();
  tickets::issue_content c;
  c.title = tickets::string_of(fields.if_contains("summary"));
  c.body = tickets::string_of(fields.if_contains("description"));
  c.status = name_of(fields, "status");
  c.resolution = name_of(fields, "resolution");
  if (const auto* labels = fields.if_contains("labels"); labels && labels->is_array())
    for (const auto& l : labels->get_array())
      if (l.is_string()) c.labels.emplace_back(l.get_string());
  if (const auto* files = fields.if_contains("attachment"); files && files->is_array()) {
    for (const auto& f : files->get_array()) {
      const auto* o = f.if_object();
      if (o == nullptr) continue;
      tickets::attachment a;
      a.id = tickets::id_of(o->if_contains("id"));
      a.filename = tickets::string_of(o->if_contains("filename"));
      a.mime_type = tickets::string_of(o->if_contains("mimeType"));
      a.url = tickets::string_of(o->if_contains("content"));
      if (const auto* size = o->if_contains("size")) {
        if (size->is_uint64()) a.size = size->get_uint64();
        else if (size->is_int64() && size->get_int64() > 0) a.size = static_cast<std::uint64_t>(size->get_int64());
      }
      if (!a.url.empty()) c.attachments.push_back(std::move(a));
    }
  }
  return c;
}

api_result<std::string> api::find_comment(const tickets::ticket& t) {
  if (issue_key(t).empty()) return tickets::permanent("the Jira ticket has no issue key");
  std::uint64_t start = 0;
  for (std::size_t page = 0; page < max_pages; ++page) {
    const auto address = comments_path(t) + "?expand=properties&startAt=" + std::to_string(start) + "&maxResults=100";
    auto r = tickets::call(client_, "GET", address, "", options());
    if (!r) return r.error();
    auto v = tickets::parse_json(*r, "Jira's comment list");
    if (!v) return v.error();
    const auto* root = v->if_object();
    const auto* comments = root ? root->if_contains("comments") : nullptr;
    if (comments == nullptr || !comments->is_array())
      return tickets::permanent("Jira's comment list has no comments array", r->status);
    for (const auto& c : comments->get_array())
      if (has_marker(c)) {
        auto id = tickets::id_of(c.as_object().if_contains("id"));
        if (id.empty()) return tickets::permanent("Jira's comment list has a comment without an id", r->status);
        return api_result<std::string>(boost::system::in_place_value, std::move(id));
      }
    const auto& list = comments->get_array();
    if (list.empty()) break;
    start += list.size();
    const auto* total = root->if_contains("total");
    if (total != nullptr && total->is_number()) {
      boost::system::error_code ec;
      const auto n = total->to_number<std::uint64_t>(ec);
      if (!ec && start >= n) break;
    }
  }
  return api_result<std::string>(boost::system::in_place_value, "");
}

api_result<std::string> api::create_comment(const tickets::ticket& t, std::string_view body) {
  if (issue_key(t).empty()) return tickets::permanent("the Jira ticket has no issue key");
  auto content = comment_object(settings_.kind, body);
  if (!content) return content.error();
  // The property goes in the create call itself, so there is no moment when the comment exists
  // without its mark (a crash between two calls would leave an orphan the search cannot find).
  auto& o = *content;
  json::object value;
  value["v"] = 1;
  json::object property;
  property["key"] = comment_property;
  property["value"] = std::move(value);
  o["properties"] = json::array{std::move(property)};
  auto opts = options();
  opts.headers.push_back({"Content-Type", "application/json"});
  auto r = tickets::call(client_, "POST", comments_path(t), json::serialize(o), opts);
  if (!r) return r.error();
  auto v = tickets::parse_json(*r, "Jira's new comment");
  if (!v) return v.error();
  const auto* root = v->if_object();
  auto id = tickets::id_of(root ? root->if_contains("id") : nullptr);
  if (id.empty()) return tickets::permanent("Jira's new comment has no id", r->status);
  return api_result<std::string>(boost::system::in_place_value, std::move(id));
}

api_result<void> api::update_comment(const tickets::ticket& t, std::string_view id, std::string_view body) {
  if (issue_key(t).empty()) return tickets::permanent("the Jira ticket has no issue key");
  if (id.empty()) return tickets::permanent("no Jira comment id to update");
  auto content = comment_object(settings_.kind, body);
  if (!content) return content.error();
  auto opts = options();
  opts.headers.push_back({"Content-Type", "application/json"});
  auto r = tickets::call(client_, "PUT", comments_path(t) + "/" + tickets::encode_segment(id),
                         json::serialize(*content), opts);
  if (!r) return r.error();
  return {};
}

api_result<std::string> api::download(const tickets::attachment& a, std::size_t limit) {
  const auto too_large = "attachment is larger than " + std::to_string(limit) + " bytes";
  if (!tickets::same_origin(a.url, base_))
    return tickets::permanent("the attachment " + a.filename + " is not on the Jira host (" + base_ +
                              "); not downloaded with the Jira credentials");
  if (a.size > limit) return tickets::permanent(too_large);
  auto address = a.url;
  // Cloud answers the content URL with a 303 to a media host unless asked for the bytes.
  if (settings_.kind == deployment::cloud)
    address += (address.find('?') == std::string::npos ? "?" : "&") + std::string("redirect=false");
  auto opts = options();
  opts.headers = {{"Authorization", authorization_}, {"Accept", "*/*"}};
  opts.body_limit = limit;
  auto r = client_.send("GET", address, "", opts);
  if (!r) {
    // The client stops reading at the limit; that is the attachment's size, not the network.
    if (r.error().message.find("larger than") != std::string::npos) return tickets::permanent(too_large);
    return tickets::no_response(r.error().message);
  }
  if (auto f = tickets::classify(*r)) return *f;
  if (r->body.size() > limit) return tickets::permanent(too_large, r->status);
  return api_result<std::string>(boost::system::in_place_value, std::move(r->body));
}

}  // namespace integrations::jira
