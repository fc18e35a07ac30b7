/* idle.c - the memory baseline for the benchmark: a console exe with the
 * same imports as nattcheck.exe that starts Winsock and CryptoAPI, opens one
 * UDP socket, sleeps, and exits.  Its peak resident set under Wine is what
 * Wine and the system DLLs cost any such program; nattcheck's peak minus
 * this is what nattcheck itself adds.  Built with mingw by bench.mk. */
#include <winsock2.h>
#include <windows.h>
#include <wincrypt.h>

int main(void)
{
	WSADATA wsa;
	HCRYPTPROV prov = 0;
	BYTE r[8];
	SOCKET s;
	HKEY k;

	WSAStartup(MAKEWORD(2, 2), &wsa);
	if (CryptAcquireContextW(&prov, NULL, NULL, PROV_RSA_AES, CRYPT_VERIFYCONTEXT))
		CryptGenRandom(prov, sizeof(r), r);
	if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Services", 0,
			KEY_READ, &k) == ERROR_SUCCESS)
		RegCloseKey(k);
	s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	Sleep(300);
	closesocket(s);
	if (prov)
		CryptReleaseContext(prov, 0);
	WSACleanup();
	return 0;
}
