#!/usr/bin/env bash
# Bootstrap, as NUKE's: find or install the .NET SDK, build build/_build.csproj quietly, run it with the arguments.
set -eo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

BUILD_PROJECT_FILE="$SCRIPT_DIR/build/_build.csproj"
BUILD_ASSEMBLY="$SCRIPT_DIR/build/bin/Release/net10.0/_build.dll"
TEMP_DIRECTORY="$SCRIPT_DIR/.nuke/temp"
BUILD_STAMP="$TEMP_DIRECTORY/build.stamp"
DOTNET_GLOBAL_FILE="$SCRIPT_DIR/global.json"
DOTNET_INSTALL_URL="https://dot.net/v1/dotnet-install.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_ROLL_FORWARD=Major

# Use dotnet from PATH when it works; otherwise install the SDK pinned in global.json into .nuke/temp.
if [[ -x "$(command -v dotnet)" ]] && dotnet --version &>/dev/null; then
    export DOTNET_EXE="$(command -v dotnet)"
else
    DOTNET_DIRECTORY="$TEMP_DIRECTORY/dotnet-unix"
    export DOTNET_EXE="$DOTNET_DIRECTORY/dotnet"
    if [[ ! -x "$DOTNET_EXE" ]]; then
        mkdir -p "$TEMP_DIRECTORY"
        DOTNET_INSTALL_FILE="$TEMP_DIRECTORY/dotnet-install.sh"
        curl -Lsfo "$DOTNET_INSTALL_FILE" "$DOTNET_INSTALL_URL"
        chmod +x "$DOTNET_INSTALL_FILE"
        DOTNET_VERSION=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$DOTNET_GLOBAL_FILE" | head -n 1)
        "$DOTNET_INSTALL_FILE" --install-dir "$DOTNET_DIRECTORY" --version "$DOTNET_VERSION" --no-path
    fi
    export PATH="$DOTNET_DIRECTORY:$PATH"
fi

# Rebuild only when a source of the build (or of what it runs) changed since the last build.
needs_build() {
    [[ ! -f "$BUILD_ASSEMBLY" || ! -f "$BUILD_STAMP" ]] && return 0
    [[ -n "$(find "$SCRIPT_DIR/build" "$SCRIPT_DIR/src" "$SCRIPT_DIR/Directory.Build.props" "$SCRIPT_DIR/Directory.Build.targets" \
        "$SCRIPT_DIR/Directory.Packages.props" "$SCRIPT_DIR/global.json" \
        -newer "$BUILD_STAMP" -type f -not -path '*/bin/*' -not -path '*/obj/*' -print -quit 2>/dev/null)" ]]
}

if needs_build; then
    mkdir -p "$TEMP_DIRECTORY"
    touch "$BUILD_STAMP.next"
    # Quiet: the compiler's output is shown only when the build of the build fails.
    if ! "$DOTNET_EXE" build "$BUILD_PROJECT_FILE" -c Release /nodeReuse:false /p:UseSharedCompilation=false -nologo \
        -clp:NoSummary --verbosity quiet > "$TEMP_DIRECTORY/build-bootstrap.log" 2>&1; then
        cat "$TEMP_DIRECTORY/build-bootstrap.log" >&2
        echo "The build project did not compile; the errors are above (and in .nuke/temp/build-bootstrap.log)." >&2
        exit 1
    fi
    mv "$BUILD_STAMP.next" "$BUILD_STAMP"
fi

exec "$DOTNET_EXE" "$BUILD_ASSEMBLY" "$@"
