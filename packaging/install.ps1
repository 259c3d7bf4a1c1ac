<#
.SYNOPSIS
Installs commandcenter from this offline bundle on Windows: a virtual environment of its
own, the `commandcenter` command on the user's PATH, and a Start menu entry with the icon.
Nothing is downloaded: pip takes every package from wheels\ (--no-index) and checks each
one against the hashes in requirements.txt.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File install.ps1
.EXAMPLE
powershell -ExecutionPolicy Bypass -File install.ps1 -Prefix D:\commandcenter -Python C:\Python311\python.exe
.EXAMPLE
powershell -ExecutionPolicy Bypass -File install.ps1 -Uninstall
#>
param(
    # where it goes (default: this user's programs folder)
    [string]$Prefix = (Join-Path $env:LOCALAPPDATA "Programs\commandcenter"),
    # the 64-bit Python 3.11 to build the environment with (default: py -3.11, else python)
    [string]$Python = "",
    # no Start menu entry
    [switch]$NoShortcut,
    # remove what an install with the same -Prefix put there
    [switch]$Uninstall
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$want = "3.11"
$venv = Join-Path $Prefix "venv"
$bin = Join-Path $Prefix "bin"
$shortcut = Join-Path ([Environment]::GetFolderPath("Programs")) "司法行政指挥中心.lnk"

function Fail([string]$message) {
    [Console]::Error.WriteLine("install.ps1: $message")
    exit 1
}

function Get-UserPath {
    $path = [Environment]::GetEnvironmentVariable("Path", "User")
    if ($path) { return @($path.Split(";") | Where-Object { $_ }) } else { return @() }
}

if ($Uninstall) {
    if (Test-Path $Prefix) { Remove-Item -Recurse -Force $Prefix }
    if (Test-Path $shortcut) { Remove-Item -Force $shortcut }
    $kept = @(Get-UserPath | Where-Object { $_ -ne $bin })
    [Environment]::SetEnvironmentVariable("Path", ($kept -join ";"), "User")
    Write-Output "commandcenter removed from $Prefix (its settings and store in your profile stay)"
    exit 0
}

# The wheels are built for one Python, 64-bit: look for it.
$check = "import struct, sys; sys.exit(sys.version_info[:2] != (3, 11) or struct.calcsize('P') != 8)"
function Test-Wanted([string]$exe, [string[]]$first) {
    try { & $exe @first -c $check 2>$null | Out-Null } catch { return $false }
    return $LASTEXITCODE -eq 0
}
$exe = $null
if ($Python) {
    if (-not (Test-Wanted $Python @())) { Fail "$Python is not a 64-bit Python $want (this bundle's wheels are for it)" }
    $exe = $Python
} elseif ((Get-Command py -ErrorAction SilentlyContinue) -and (Test-Wanted "py" @("-$want"))) {
    $exe = (& py "-$want" -c "import sys; print(sys.executable)").Trim()
} elseif ((Get-Command python -ErrorAction SilentlyContinue) -and (Test-Wanted "python" @())) {
    $exe = (Get-Command python).Source
} else {
    Fail "this bundle needs a 64-bit Python $want: install python-$want.x-amd64.exe (carried in beside the bundle), or name one with -Python"
}

$started = Get-Date
Write-Output "installing commandcenter into $venv (Python: $exe)..."
New-Item -ItemType Directory -Force $Prefix | Out-Null
# an earlier install stays aside until the new one is complete, and comes back if it fails
$old = "$venv.old"
if (Test-Path $old) { Remove-Item -Recurse -Force $old }
if (Test-Path $venv) { Move-Item $venv $old }
function Restore {
    if (Test-Path $venv) { Remove-Item -Recurse -Force $venv }
    if (Test-Path $old) { Move-Item $old $venv }
}
& $exe -m venv $venv
if ($LASTEXITCODE -ne 0) { Restore; Fail "$exe could not make $venv" }
# only the bundle: no index, no pip configuration (its mirrors), no cache
$env:PIP_CONFIG_FILE = "nul"
$env:PIP_NO_INPUT = "1"
$env:PIP_DISABLE_PIP_VERSION_CHECK = "1"
& (Join-Path $venv "Scripts\python.exe") -m pip install --quiet --no-index --no-cache-dir `
    --find-links (Join-Path $here "wheels") --only-binary=:all: --require-hashes `
    -r (Join-Path $here "requirements.txt")
if ($LASTEXITCODE -ne 0) { Restore; Fail "pip could not install the bundle's wheels (see above)" }
if (Test-Path $old) { Remove-Item -Recurse -Force $old }

# `commandcenter` in any new console
New-Item -ItemType Directory -Force $bin | Out-Null
Set-Content -Encoding ASCII -Path (Join-Path $bin "commandcenter.cmd") `
    -Value "@`"%~dp0..\venv\Scripts\commandcenter.exe`" %*"
if ((Get-UserPath) -notcontains $bin) {
    [Environment]::SetEnvironmentVariable("Path", ((@(Get-UserPath) + $bin) -join ";"), "User")
}

Copy-Item -Force (Join-Path $here "commandcenter.ico") $Prefix
if (-not $NoShortcut) {
    $link = (New-Object -ComObject WScript.Shell).CreateShortcut($shortcut)
    $link.TargetPath = Join-Path $venv "Scripts\pythonw.exe"  # no console window
    $link.Arguments = "-m commandcenter"
    $link.IconLocation = (Join-Path $Prefix "commandcenter.ico") + ",0"
    $link.WorkingDirectory = $env:USERPROFILE
    $link.Description = "司法行政指挥中心客户端"
    $link.Save()
}

$version = & (Join-Path $venv "Scripts\commandcenter.exe") --version
if ($LASTEXITCODE -ne 0) { Fail "the installed command does not start" }
$seconds = [int]((Get-Date) - $started).TotalSeconds
Write-Output "$version installed in $seconds s: $bin\commandcenter.cmd (a new console finds it on the PATH)"
