// The AWS SDK nags on Node 20 about releases after January 2027; the SDK version here is pinned.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
