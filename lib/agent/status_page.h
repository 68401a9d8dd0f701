// The status page served at GET /: one self-contained HTML document (inline CSS and
// JS, no external assets) that polls GET /v1/self, /v1/members and /v1/events every
// 2 s and renders the members and the recent events with their failure evidence.
// With a token configured, open it as http://HOST:PORT/?token=TOKEN: the script sends
// the token as "Authorization: Bearer TOKEN" on every request it makes.
//
// Test hooks: <tr class="member" data-id=HEX data-name=NAME data-state=STATE> per member,
// <li class="event" data-kind=KIND data-member=HEX> per event, <div class="evidence">
// inside failed events, and <body data-loaded="1"> once a refresh has rendered.
#pragma once

#include <string>

namespace swell::agent {

/// The whole page; it never changes, so callers may cache it.
std::string status_page_html();

}  // namespace swell::agent
