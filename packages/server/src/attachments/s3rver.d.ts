// s3rver (the tests' S3 server, a devDependency) ships no types; s3rver.test-support.ts states
// the little of its API it uses.
declare module 's3rver' {
  const S3rver: unknown;
  export default S3rver;
}
