# installer.mk - MSIs, the release zip, signing and the installer tests.
# Included at the end of build.mk (uses its B, VERSION, EXES, quiet, Q).
#
# make dist             build/nattcheck-$(VERSION)-x86.msi (i686 exe, XP SP2+),
#                       build/nattcheck-$(VERSION)-x64.msi, build/nattcheck-$(VERSION).zip;
#                       unsigned
# make sign             the same three from signed exes, the MSIs signed too,
#                       in $(SIGN_DIR) (build/signed/); needs NATTCHECK_SIGN_CERT
#                       and NATTCHECK_SIGN_KEY, see installer/sign.sh
# make check-installer  installer/test_installer.sh: tables, zip, signing,
#                       install/upgrade/uninstall under Wine

INST_MSI_X86 := $(B)/nattcheck-$(VERSION)-x86.msi
INST_MSI_X64 := $(B)/nattcheck-$(VERSION)-x64.msi
INST_ZIP := $(B)/nattcheck-$(VERSION).zip
INST_DIST := $(INST_MSI_X86) $(INST_MSI_X64) $(INST_ZIP)
INST_MSI_DEPS := installer/nattcheck.wxs installer/build_msi.sh NOTICE
INST_ZIP_DEPS := installer/make_zip.sh README.md NOTICE installer/nattcheck.schema.json \
	installer/login-script.cmd \
	installer/intune/detect.ps1 installer/intune/remediate.ps1
SIGN_DIR ?= $(B)/signed

.PHONY: dist sign check-installer

dist: $(INST_DIST)

$(INST_MSI_X86): $(B)/i686/nattcheck.exe $(INST_MSI_DEPS)
	$(call quiet,WIXL,$@)
	$(Q)sh installer/build_msi.sh x86 $< $(VERSION) $@

$(INST_MSI_X64): $(B)/x86_64/nattcheck.exe $(INST_MSI_DEPS)
	$(call quiet,WIXL,$@)
	$(Q)sh installer/build_msi.sh x64 $< $(VERSION) $@

$(INST_ZIP): $(EXES) $(INST_ZIP_DEPS)
	$(call quiet,ZIP,$@)
	$(Q)sh installer/make_zip.sh $@ $(B)/i686/nattcheck.exe $(B)/x86_64/nattcheck.exe

# Always re-signs (the certificate comes from the environment).  The MSIs
# and the zip are built from the signed exes, then the MSIs are signed.
sign: $(EXES) $(INST_MSI_DEPS) $(INST_ZIP_DEPS) installer/sign.sh
	@sh installer/sign.sh --check-env
	@mkdir -p $(SIGN_DIR)/i686 $(SIGN_DIR)/x86_64
	$(call quiet,SIGN,$(SIGN_DIR)/i686/nattcheck.exe)
	$(Q)sh installer/sign.sh $(B)/i686/nattcheck.exe $(SIGN_DIR)/i686/nattcheck.exe
	$(call quiet,SIGN,$(SIGN_DIR)/x86_64/nattcheck.exe)
	$(Q)sh installer/sign.sh $(B)/x86_64/nattcheck.exe $(SIGN_DIR)/x86_64/nattcheck.exe
	$(call quiet,WIXL,$(SIGN_DIR)/nattcheck-$(VERSION)-x86.msi)
	$(Q)sh installer/build_msi.sh x86 $(SIGN_DIR)/i686/nattcheck.exe $(VERSION) $(SIGN_DIR)/unsigned-x86.msi
	$(Q)sh installer/sign.sh $(SIGN_DIR)/unsigned-x86.msi $(SIGN_DIR)/nattcheck-$(VERSION)-x86.msi
	$(call quiet,WIXL,$(SIGN_DIR)/nattcheck-$(VERSION)-x64.msi)
	$(Q)sh installer/build_msi.sh x64 $(SIGN_DIR)/x86_64/nattcheck.exe $(VERSION) $(SIGN_DIR)/unsigned-x64.msi
	$(Q)sh installer/sign.sh $(SIGN_DIR)/unsigned-x64.msi $(SIGN_DIR)/nattcheck-$(VERSION)-x64.msi
	@rm -f $(SIGN_DIR)/unsigned-x86.msi $(SIGN_DIR)/unsigned-x64.msi
	$(call quiet,ZIP,$(SIGN_DIR)/nattcheck-$(VERSION).zip)
	$(Q)sh installer/make_zip.sh $(SIGN_DIR)/nattcheck-$(VERSION).zip \
		$(SIGN_DIR)/i686/nattcheck.exe $(SIGN_DIR)/x86_64/nattcheck.exe

# The test runs `make sign` itself (with a throwaway CA, into its own
# SIGN_DIR under $(B)/test-installer), without $(MAKE) on purpose: it is an
# independent make, not a part of this one's job graph.
check-installer: $(EXES) $(INST_DIST)
	@B=$(B) VERSION=$(VERSION) sh installer/test_installer.sh
