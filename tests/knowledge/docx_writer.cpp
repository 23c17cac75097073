#include "tests/knowledge/docx_writer.hpp"

#include <zip.h>

#include <memory>
#include <stdexcept>

namespace test {
namespace {

std::string escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("make_zip: ") + what);
}

}  // namespace

std::string make_zip(const std::vector<zip_part>& parts) {
  // The archive is written into an in-memory source that outlives zip_close (zip_source_keep),
  // then read back.
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &err);
  check(out != nullptr, "buffer");
  zip_source_keep(out);
  zip_t* zip = zip_open_from_source(out, ZIP_TRUNCATE, &err);
  check(zip != nullptr, "open");
  for (const auto& part : parts) {
    // The part's bytes are read at zip_close, while `parts` is still alive.
    zip_source_t* in = zip_source_buffer(zip, part.content.data(), part.content.size(), 0);
    check(in != nullptr, "member");
    check(zip_file_add(zip, part.name.c_str(), in, ZIP_FL_ENC_UTF_8) >= 0, "add");
  }
  check(zip_close(zip) == 0, "close");

  std::string bytes;
  check(zip_source_open(out) == 0, "reopen");
  check(zip_source_seek(out, 0, SEEK_END) == 0, "seek");
  const zip_int64_t size = zip_source_tell(out);
  check(size >= 0 && zip_source_seek(out, 0, SEEK_SET) == 0, "tell");
  bytes.resize(static_cast<std::size_t>(size));
  check(zip_source_read(out, bytes.data(), bytes.size()) == size, "read");
  zip_source_close(out);
  zip_source_free(out);
  zip_error_fini(&err);
  return bytes;
}

std::string document_xml(std::string_view body_xml) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
         "<w:body>" +
         std::string(body_xml) + "<w:sectPr/></w:body></w:document>";
}

std::string make_docx(std::string_view body_xml, const std::vector<zip_part>& extra_parts) {
  std::vector<zip_part> parts{
      {"[Content_Types].xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
       "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
       "<Default Extension=\"rels\" "
       "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
       "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
       "<Override PartName=\"/word/document.xml\" "
       "ContentType=\"application/"
       "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
       "</Types>"},
      {"_rels/.rels",
       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" "
       "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
       "officeDocument\" "
       "Target=\"word/document.xml\"/></Relationships>"},
      {"word/document.xml", document_xml(body_xml)},
  };
  parts.insert(parts.end(), extra_parts.begin(), extra_parts.end());
  return make_zip(parts);
}

std::string paragraph(std::string_view text, std::string_view style) {
  std::string p = "<w:p>";
  if (!style.empty()) p += "<w:pPr><w:pStyle w:val=\"" + escape(style) + "\"/></w:pPr>";
  return p + "<w:r><w:t xml:space=\"preserve\">" + escape(text) + "</w:t></w:r></w:p>";
}

std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::string t = "<w:tbl><w:tblPr/><w:tblGrid/>";
  for (const auto& row : rows) {
    t += "<w:tr>";
    for (const auto& cell : row) t += "<w:tc><w:tcPr/>" + paragraph(cell) + "</w:tc>";
    t += "</w:tr>";
  }
  return t + "</w:tbl>";
}

}  // namespace test
