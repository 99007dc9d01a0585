:; set -eo pipefail
:; SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
:; "${SCRIPT_DIR}/build.sh" "$@"
:; exit $?

@ECHO OFF
REM Windows half of the polyglot: the same steps as build.sh.
SETLOCAL
SET DOTNET_CLI_TELEMETRY_OPTOUT=1
SET DOTNET_NOLOGO=1
SET DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
SET DOTNET_ROLL_FORWARD=Major
SET "SCRIPT_DIR=%~dp0"
SET "TEMP_DIRECTORY=%SCRIPT_DIR%.nuke\temp"
SET "DOTNET_EXE=dotnet"
dotnet --version >NUL 2>&1
IF ERRORLEVEL 1 (
  SET "DOTNET_EXE=%TEMP_DIRECTORY%\dotnet-win\dotnet.exe"
  IF NOT EXIST "%TEMP_DIRECTORY%\dotnet-win\dotnet.exe" (
    IF NOT EXIST "%TEMP_DIRECTORY%" MKDIR "%TEMP_DIRECTORY%"
    powershell -NoProfile -ExecutionPolicy ByPass -Command "$v=(Get-Content '%SCRIPT_DIR%global.json' | ConvertFrom-Json).sdk.version; Invoke-WebRequest https://dot.net/v1/dotnet-install.ps1 -OutFile '%TEMP_DIRECTORY%\dotnet-install.ps1'; & '%TEMP_DIRECTORY%\dotnet-install.ps1' -InstallDir '%TEMP_DIRECTORY%\dotnet-win' -Version $v -NoPath"
  )
)
"%DOTNET_EXE%" build "%SCRIPT_DIR%build\_build.csproj" -c Release /nodeReuse:false /p:UseSharedCompilation=false -nologo -clp:NoSummary --verbosity quiet
IF ERRORLEVEL 1 EXIT /B %ERRORLEVEL%
"%DOTNET_EXE%" "%SCRIPT_DIR%build\bin\Release\net10.0\_build.dll" %*
EXIT /B %ERRORLEVEL%
