# All rules live in build.mk.
include build.mk
