# remediate.ps1 - Intune Remediations remediation script (example): runs
# `nattcheck fix`, which probes $Server and sets the smallest
# AssumeUDPEncapsulationContextOnSendRule value that makes L2TP/IPsec work
# from any network: 2 when the server is behind NAT (1 would fail from home,
# hotels and hotspots, where the laptop is behind NAT too), nothing when it
# is not (it needs administrator rights: Intune runs this as SYSTEM).  The result
# goes to $LogDir\<COMPUTERNAME>.json and the Application event log.
# Exit 0 when the value is right now (a restart may still be needed),
# otherwise nattcheck's exit code.
$Server = 'vpn.example.com'
$LogDir = Join-Path $env:ProgramData 'nattcheck'

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
if (-not (Test-Path $LogDir)) { New-Item -ItemType Directory -Path $LogDir | Out-Null }

& $exe fix $Server --quiet --log $LogDir --eventlog
$code = $LASTEXITCODE
Write-Output "nattcheck fix $Server exit code $code"
# 0: works now; 2: the value is set, Windows reads it at the next restart.
if ($code -eq 0 -or $code -eq 2) { exit 0 }
# 3: a network or server problem no registry value fixes (see the log);
# 77: not elevated; 70: system error.
exit $code
