@echo off
rem login-script.cmd - logon script example (a GPO user logon script or a
rem NETLOGON script): checks, read-only, whether L2TP/IPsec to
rem the VPN server will work from this machine; writes the result to
rem \\server\share\nattcheck\COMPUTERNAME.json and the Application event
rem log, and tells the user when action is needed.  A logon script runs as
rem the user: it cannot change the registry (that is `nattcheck fix`, run as
rem an administrator or SYSTEM, e.g. a startup script or Intune).
rem `nattcheck report \\server\share\nattcheck` summarises the fleet.
rem Works on Windows XP SP2 and later.
setlocal
set SERVER=vpn.example.com
set LOGDIR=\\server\share\nattcheck

rem The MSI puts nattcheck on the PATH; otherwise use the copy beside this
rem script (e.g. x86\nattcheck.exe from the zip, which runs everywhere).
set NATTCHECK=
for %%I in (nattcheck.exe) do set NATTCHECK=%%~$PATH:I
if not defined NATTCHECK if exist "%~dp0nattcheck.exe" set NATTCHECK=%~dp0nattcheck.exe
if not defined NATTCHECK goto notfound

"%NATTCHECK%" check %SERVER% --quiet --log %LOGDIR% --eventlog
set RC=%ERRORLEVEL%
if %RC% EQU 0 goto works
if %RC% EQU 1 goto needsfix
if %RC% EQU 2 goto restart
if %RC% EQU 3 goto network
goto error

:works
goto end

:needsfix
echo VPN: this computer needs a registry change before the VPN connection can
echo work through NAT. Please contact the helpdesk (nattcheck says: run fix).
goto end

:restart
echo VPN: a setting for the VPN connection was changed. Please restart this
echo computer before connecting.
goto end

:network
echo VPN: %SERVER% cannot be reached for L2TP/IPsec from this network right
echo now (firewall, router or server problem). The helpdesk has the details.
goto end

:error
rem 64 usage, 70 system error, 77 administrator rights needed
echo nattcheck failed with exit code %RC%.
goto end

:notfound
echo nattcheck.exe not found: install the nattcheck MSI.
set RC=9009

:end
endlocal & exit /b %RC%
