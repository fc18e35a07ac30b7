# detect.ps1 - Intune Remediations detection script (example): is L2TP/IPsec
# to $Server going to work from this machine?  Exit 0 = compliant (nattcheck
# says "works", or "reboot-pending": the value is right and only a restart is
# missing, which remediation cannot do either), exit 1 = not (Intune then
# runs remediate.ps1).  A laptop with the value 1 and a server behind NAT is
# not compliant (exit 1: "needs-registry", 2 is needed from networks where
# it is behind NAT too), so it is fixed before it leaves the office.
# Intune passes no parameters: set $Server here.  Works with Windows
# PowerShell 2.0 and later, 32- or 64-bit host.
$Server = 'vpn.example.com'

# The MSI puts nattcheck on the system PATH; look in both Program Files
# folders too (a 32-bit PowerShell host sees Program Files (x86) as
# $env:ProgramFiles).
function Find-Nattcheck {
    $cmd = Get-Command nattcheck.exe -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($cmd) { return $cmd.Path }
    foreach ($dir in @($env:ProgramW6432, $env:ProgramFiles, ${env:ProgramFiles(x86)})) {
        if ($dir -and (Test-Path (Join-Path $dir 'nattcheck\nattcheck.exe'))) {
            return (Join-Path $dir 'nattcheck\nattcheck.exe')
        }
    }
    return $null
}

$exe = Find-Nattcheck
if (-not $exe) {
    Write-Output 'nattcheck.exe not found: install the nattcheck MSI first'
    exit 1
}

& $exe check $Server --quiet
$code = $LASTEXITCODE
# Exit codes: 0 works, 1 needs the registry value (fix), 2 restart pending,
# 3 network or server problem, 64 usage, 70 system error, 77 not admin.
# Intune shows the last line written here in its report.
Write-Output "nattcheck check $Server exit code $code"
if ($code -eq 0 -or $code -eq 2) { exit 0 }
exit 1
