# sdk_out_of_tree: installs the SDK component of the main build into a fresh
# prefix, builds this consumer project (and tests/plugins/netlify_status and
# sdk/template) against it alone, runs their unit tests,
# and checks hello.so exports exactly the entry symbol and declares the
# host's ABI version (sdk_probe). hello.so lands in OUTPUT_DIR for the
# integration tests. Run with cmake -P; see tests/unit/sdk/CMakeLists.txt.
foreach(var MAIN_BUILD_DIR CONSUMER_SOURCE_DIR WORK_DIR OUTPUT_DIR PROBE GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_test.cmake: -D${var}=... is required")
  endif()
endforeach()

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${step} failed (${rc}):\n${out}\n${err}")
  endif()
  set(RUN_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
file(REMOVE ${OUTPUT_DIR}/hello.so)

# The install command docs/plugin-authoring.md gives: the sdk directory's own
# install script, which (unlike `cmake --install`) writes no
# install_manifest_sdk.txt into the build tree.
file(REMOVE ${MAIN_BUILD_DIR}/install_manifest_sdk.txt)
run("installing the SDK component" ${CMAKE_COMMAND} -DCMAKE_INSTALL_PREFIX=${prefix} -DCMAKE_INSTALL_COMPONENT=sdk
    -P ${MAIN_BUILD_DIR}/sdk/cmake_install.cmake)
if(EXISTS ${MAIN_BUILD_DIR}/install_manifest_sdk.txt OR EXISTS ${MAIN_BUILD_DIR}/sdk/install_manifest_sdk.txt)
  message(FATAL_ERROR "installing the SDK wrote an install manifest into the build tree")
endif()
foreach(expected include/switchboard/abi.h include/switchboard/sdk.hpp include/switchboard/fake_host.hpp
                 include/switchboard/provider.hpp include/switchboard/time.hpp include/switchboard/actions.hpp)
  if(NOT EXISTS ${prefix}/${expected})
    message(FATAL_ERROR "the SDK install lacks ${expected}")
  endif()
endforeach()
file(GLOB_RECURSE installed RELATIVE ${prefix} ${prefix}/*)
foreach(file ${installed})
  if(NOT file MATCHES "^(include/switchboard/|lib[^/]*/cmake/SwitchboardSDK/)")
    message(FATAL_ERROR "the sdk component installed a non-SDK file: ${file}")
  endif()
endforeach()

run("configuring the consumer" ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${build} -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DHELLO_OUTPUT_DIR=${OUTPUT_DIR})
run("building the consumer" ${CMAKE_COMMAND} --build ${build})
run("the consumer's unit test" ${build}/hello_test)

set(plugin ${OUTPUT_DIR}/hello.so)
if(NOT EXISTS ${plugin})
  message(FATAL_ERROR "the consumer build did not produce ${plugin}")
endif()

run("listing exports" nm -D --defined-only ${plugin})
string(STRIP "${RUN_OUTPUT}" exports)
string(REPLACE "\n" ";" exports "${exports}")
list(LENGTH exports count)
list(GET exports 0 first)
if(NOT count EQUAL 1 OR NOT first MATCHES " T switchboard_plugin_entry$")
  message(FATAL_ERROR "hello.so must export exactly switchboard_plugin_entry, found:\n${RUN_OUTPUT}")
endif()

run("probing hello.so" ${PROBE} ${plugin})
if(NOT RUN_OUTPUT MATCHES "(^|\n)id=hello\n")
  message(FATAL_ERROR "hello.so declares the wrong id:\n${RUN_OUTPUT}")
endif()
string(REGEX MATCH "(^|\n)abi=([0-9.]+)" _ "${RUN_OUTPUT}")
set(plugin_abi ${CMAKE_MATCH_2})
string(REGEX MATCH "host_abi=([0-9.]+)" _ "${RUN_OUTPUT}")
if(NOT plugin_abi STREQUAL CMAKE_MATCH_1)
  message(FATAL_ERROR "hello.so declares ABI ${plugin_abi}, the host is ${CMAKE_MATCH_1}")
endif()
message(STATUS "hello plugin (ABI ${plugin_abi}): ${plugin}")

# Another out-of-tree project against the same installed SDK: configure,
# build, run its GoogleTest binary `test_binary`, then check that <id>.so (in
# OUTPUT_DIR, for the integration tests) exports only the entry symbol and
# declares the id `id`.
function(build_plugin_project label source_dir id test_binary)
  set(project_build ${WORK_DIR}/${id})
  file(REMOVE ${OUTPUT_DIR}/${id}.so)
  run("configuring ${label}" ${CMAKE_COMMAND} -S ${source_dir} -B ${project_build} -G ${GENERATOR}
      -DCMAKE_BUILD_TYPE=Debug -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
      -DPLUGIN_OUTPUT_DIR=${OUTPUT_DIR})
  run("building ${label}" ${CMAKE_COMMAND} --build ${project_build})
  run("the tests of ${label}" ${project_build}/${test_binary})
  if(NOT RUN_OUTPUT MATCHES "\\[  PASSED  \\] [0-9]+ tests")
    message(FATAL_ERROR "the tests of ${label} did not all pass:\n${RUN_OUTPUT}")
  endif()
  run("listing ${id}.so's exports" nm -D --defined-only ${OUTPUT_DIR}/${id}.so)
  if(NOT RUN_OUTPUT MATCHES "^[0-9a-f]+ T switchboard_plugin_entry\n$")
    message(FATAL_ERROR "${id}.so must export exactly switchboard_plugin_entry, found:\n${RUN_OUTPUT}")
  endif()
  run("probing ${id}.so" ${PROBE} ${OUTPUT_DIR}/${id}.so)
  if(NOT RUN_OUTPUT MATCHES "(^|\n)id=${id}\n")
    message(FATAL_ERROR "${id}.so declares the wrong id:\n${RUN_OUTPUT}")
  endif()
  message(STATUS "${label}: ${OUTPUT_DIR}/${id}.so")
endfunction()

# The fifth status provider the integration tests load (tests/plugins/netlify_status).
if(DEFINED NETLIFY_SOURCE_DIR)
  build_plugin_project("the netlify test plugin" ${NETLIFY_SOURCE_DIR} netlify netlify_test)
endif()
# sdk/template, as an author copies it.
if(DEFINED TEMPLATE_SOURCE_DIR)
  build_plugin_project("sdk/template" ${TEMPLATE_SOURCE_DIR} example example_test)
endif()
