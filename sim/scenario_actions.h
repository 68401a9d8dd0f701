// Parsing of one [[step]]'s action keys into its action struct (scenario.h), one
// parse_fields() per action. Internal to sim/: scenario.cpp calls parse_action().
//
//   Reader r(step_table, "step 3 (crash): ", nodes);
//   auto action = parse_action("crash", r, /*at_s=*/20.0);   // an action::Crash
#pragma once

#include <string>
#include <string_view>

#include "scenario.h"
#include "scenario_reader.h"

namespace swell::sim {

/// True if name is the TOML name of an action.
bool is_action_name(std::string_view name);
/// Every action's TOML name, comma-separated, in Action's order (for messages).
std::string action_names();
/// Reads the keys of the action called name (is_action_name(name) must hold); at_s is
/// the step's time, which bounds `since`.
Result<Action> parse_action(std::string_view name, Reader& r, double at_s);

}  // namespace swell::sim
