#include "workflows/workflow_file.hpp"

#include <regex>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <yaml-cpp/yaml.h>

namespace sb::workflows {
namespace {

// A problem at a node; thrown inside the parser, caught in parseWorkflowFile.
struct ProblemAt {
  YAML::Mark mark;
  std::string message;
};

[[noreturn]] void fail(const YAML::Node& node, const std::string& message) { throw ProblemAt{node.Mark(), message}; }

std::string scalarOf(const YAML::Node& map, const char* key, bool required) {
  const YAML::Node node = map[key];
  if (!node) {
    if (required) fail(map, std::string("'") + key + "' is required");
    return "";
  }
  if (!node.IsScalar()) fail(node, std::string("'") + key + "' must be a single value");
  return node.Scalar();
}

void onlyKeys(const YAML::Node& map, std::initializer_list<const char*> allowed) {
  for (const auto& entry : map) {
    const std::string key = entry.first.Scalar();
    bool known = false;
    for (const char* name : allowed) known = known || key == name;
    if (!known) fail(entry.first, "unknown key '" + key + "'");
  }
}

// A YAML scalar as JSON: booleans and integers as such, the rest as strings
// (a quoted scalar stays a string).
Poco::Dynamic::Var scalarValue(const YAML::Node& node) {
  if (node.Tag() != "!") {
    bool flag = false;
    if (YAML::convert<bool>::decode(node, flag)) return flag;
    long long number = 0;
    if (YAML::convert<long long>::decode(node, number)) return static_cast<Poco::Int64>(number);
  }
  return node.Scalar();
}

Poco::Dynamic::Var jsonValue(const YAML::Node& node) {
  if (node.IsMap()) {
    // Keys sorted: the canonical form the action request hash is taken of.
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object;
    for (const auto& entry : node) object->set(entry.first.Scalar(), jsonValue(entry.second));
    return object;
  }
  if (node.IsSequence()) {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& item : node) array->add(jsonValue(item));
    return array;
  }
  if (node.IsNull()) return Poco::Dynamic::Var();
  return scalarValue(node);
}

std::string jsonOf(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

std::string paramsOf(const YAML::Node& step) {
  const YAML::Node params = step["params"];
  if (!params || params.IsNull()) return "{}";
  if (!params.IsMap()) fail(params, "'params' must be a mapping of names to values");
  return jsonOf(jsonValue(params));
}

WorkflowParameter parameterOf(const YAML::Node& node) {
  if (!node.IsMap()) fail(node, "a parameter is a mapping {name, type, required, default}");
  onlyKeys(node, {"name", "type", "required", "default"});
  WorkflowParameter out;
  out.name = scalarOf(node, "name", true);
  out.type = scalarOf(node, "type", true);
  if (out.type != "string" && out.type != "integer" && out.type != "boolean") {
    fail(node["type"], "a parameter's type is string, integer or boolean, not '" + out.type + "'");
  }
  if (const YAML::Node required = node["required"]) {
    if (!required.IsScalar() || !YAML::convert<bool>::decode(required, out.required)) {
      fail(required, "'required' must be true or false");
    }
  }
  if (const YAML::Node fallback = node["default"]) {
    if (!fallback.IsScalar()) fail(fallback, "a default is a single value");
    const Poco::Dynamic::Var value = scalarValue(fallback);
    const bool fits = (out.type == "string") || (out.type == "integer" && value.isInteger() && !value.isBoolean()) ||
                      (out.type == "boolean" && value.isBoolean());
    if (!fits) fail(fallback, "the default of '" + out.name + "' is not of type " + out.type);
    out.defaultJson = jsonOf(out.type == "string" ? Poco::Dynamic::Var(fallback.Scalar()) : value);
  }
  return out;
}

WorkflowStep stepOf(const YAML::Node& node) {
  if (!node.IsMap()) fail(node, "a step is {provider, action, params} or {workflow, params}");
  WorkflowStep out;
  if (node["workflow"]) {
    onlyKeys(node, {"workflow", "params"});
    out.workflow = scalarOf(node, "workflow", true);
  } else {
    onlyKeys(node, {"provider", "action", "params"});
    out.provider = scalarOf(node, "provider", true);
    out.action = scalarOf(node, "action", true);
  }
  out.paramsJson = paramsOf(node);
  return out;
}

bool isUuid(const std::string& text) {
  static const std::regex uuid("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  return std::regex_match(text, uuid);
}

WorkflowDefinition definitionOf(const YAML::Node& root) {
  if (!root.IsMap()) fail(root, "a workflow file is a mapping {id, name, description, parameters, steps}");
  onlyKeys(root, {"id", "name", "description", "parameters", "steps"});
  WorkflowDefinition out;
  out.id = scalarOf(root, "id", true);
  if (!isUuid(out.id)) fail(root["id"], "'id' must be a UUID, e.g. 3f2b8c1e-0d4a-4e6b-9a7c-5d1e2f3a4b5c");
  out.name = scalarOf(root, "name", true);
  out.description = scalarOf(root, "description", false);
  if (const YAML::Node parameters = root["parameters"]; parameters && !parameters.IsNull()) {
    if (!parameters.IsSequence()) fail(parameters, "'parameters' must be a list");
    for (const auto& item : parameters) {
      WorkflowParameter parameter = parameterOf(item);
      for (const WorkflowParameter& seen : out.parameters) {
        if (seen.name == parameter.name) fail(item, "parameter '" + parameter.name + "' is declared twice");
      }
      out.parameters.push_back(std::move(parameter));
    }
  }
  const YAML::Node steps = root["steps"];
  if (!steps) fail(root, "'steps' is required");
  if (!steps.IsSequence() || steps.size() == 0) fail(steps, "'steps' must be a non-empty list");
  for (const auto& item : steps) out.steps.push_back(stepOf(item));
  return out;
}

Poco::JSON::Object::Ptr parsedObject(const Poco::Dynamic::Var& value) {
  return value.extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

std::string WorkflowProblem::text() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

Poco::JSON::Object::Ptr problemJson(const WorkflowProblem& problem) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("file", problem.file);
  out->set("line", problem.line);
  out->set("column", problem.column);
  out->set("message", problem.message);
  return out;
}

bool isWorkflowPath(const std::string& path) {
  static const std::string prefix = "workflows/";
  if (path.rfind(prefix, 0) != 0) return false;
  const std::string name = path.substr(prefix.size());
  if (name.find('/') != std::string::npos) return false;
  auto endsWith = [&](const std::string& suffix) {
    return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return endsWith(".yaml");
}

ParsedWorkflow parseWorkflowFile(const std::string& path, const std::string& text) {
  ParsedWorkflow out;
  out.problem.file = path;
  auto place = [&](const YAML::Mark& mark) {
    out.problem.line = mark.is_null() ? 1 : mark.line + 1;
    out.problem.column = mark.is_null() ? 1 : mark.column + 1;
  };
  try {
    out.definition = definitionOf(YAML::Load(text));
  } catch (const ProblemAt& problem) {
    place(problem.mark);
    out.problem.message = problem.message;
  } catch (const YAML::Exception& error) {
    place(error.mark);
    out.problem.message = error.msg;
  } catch (const std::exception& error) {  // e.g. a scalar Poco cannot hold: still the file's fault
    out.definition.reset();
    out.problem.message = std::string("not a workflow: ") + error.what();
  }
  return out;
}

std::string parametersJson(const std::vector<WorkflowParameter>& parameters) {
  Poco::JSON::Array array;
  for (const WorkflowParameter& parameter : parameters) {
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    entry->set("name", parameter.name);
    entry->set("type", parameter.type);
    entry->set("required", parameter.required);
    if (!parameter.defaultJson.empty()) entry->set("default", defaultValue(parameter));
    array.add(entry);
  }
  return jsonOf(array);
}

std::string stepsJson(const std::vector<WorkflowStep>& steps) {
  Poco::JSON::Array array;
  for (const WorkflowStep& step : steps) {
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    if (step.isCall()) {
      entry->set("workflow", step.workflow);
    } else {
      entry->set("provider", step.provider);
      entry->set("action", step.action);
    }
    entry->set("params", Poco::JSON::Parser().parse(step.paramsJson));
    array.add(entry);
  }
  return jsonOf(array);
}

Poco::Dynamic::Var defaultValue(const WorkflowParameter& parameter) {
  const auto wrapped = Poco::JSON::Parser().parse("[" + parameter.defaultJson + "]").extract<Poco::JSON::Array::Ptr>();
  return wrapped->get(0);
}

std::vector<WorkflowParameter> parametersFromJson(const std::string& json) {
  std::vector<WorkflowParameter> out;
  const auto array = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto entry = array->getObject(static_cast<unsigned>(i));
    WorkflowParameter parameter;
    parameter.name = entry->getValue<std::string>("name");
    parameter.type = entry->getValue<std::string>("type");
    parameter.required = entry->getValue<bool>("required");
    if (entry->has("default")) parameter.defaultJson = jsonOf(entry->get("default"));
    out.push_back(std::move(parameter));
  }
  return out;
}

std::vector<WorkflowStep> stepsFromJson(const std::string& json) {
  std::vector<WorkflowStep> out;
  const auto array = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto entry = parsedObject(array->get(static_cast<unsigned>(i)));
    WorkflowStep step;
    if (entry->has("workflow")) {
      step.workflow = entry->getValue<std::string>("workflow");
    } else {
      step.provider = entry->getValue<std::string>("provider");
      step.action = entry->getValue<std::string>("action");
    }
    step.paramsJson = entry->has("params") ? jsonOf(entry->get("params")) : "{}";
    out.push_back(std::move(step));
  }
  return out;
}

}  // namespace sb::workflows
