/* SPDX-License-Identifier: Apache-2.0 */
/* Small public calls: the version, freeing what the library allocated, the codecs built in. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ak_config.h"
#include "codec.h"

AK_API const char *ak_version(void)
{
	return AK_VERSION_STRING;
}

AK_API unsigned ak_version_number(void)
{
	return AK_VERSION_NUMBER;
}

AK_API void ak_free(void *p)
{
	free(p);
}

AK_API int ak_codec_supported(const char *name)
{
	const struct ak_codec *c = name ? ak_codec_find(name, strlen(name)) : NULL;

	if (!c || !c->available)
		return 0;
	return c->can_write ? 2 : 1;
}

static char libraries[256];
static pthread_once_t libraries_once = PTHREAD_ONCE_INIT;

static void libraries_init(void)
{
	ak_codec_versions(libraries, sizeof(libraries));
}

AK_API const char *ak_codec_libraries(void)
{
	pthread_once(&libraries_once, libraries_init);
	return libraries;
}
