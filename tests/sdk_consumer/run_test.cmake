# sdk_out_of_tree: installs the SDK component of the main build into a fresh
# prefix, builds this consumer project against it alone, runs its unit test,
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

run("installing the SDK component" ${CMAKE_COMMAND} --install ${MAIN_BUILD_DIR} --prefix ${prefix} --component sdk)
foreach(expected include/switchboard/abi.h include/switchboard/sdk.hpp include/switchboard/fake_host.hpp)
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
