/**
 * CreateBucket, HeadBucket, DeleteBucket and ListBuckets, answered as S3 answers them.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
 */
import { BUCKET_NAME } from "../../../runtime/config/schema.js";
import { S3Error } from "../s3-error.js";
import { existingBucket, instant, requiredString, type S3Operation } from "./request.js";

/** S3 dates have whole seconds. */
export const wholeSeconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

export const createBucket: S3Operation = async (request, context) => {
  const name = requiredString(request, "Bucket");
  if (!BUCKET_NAME.test(name)) throw new S3Error("InvalidBucketName", "The specified bucket is not valid.", 400);
  const created = await context.store.createBucket({ name, creationDate: wholeSeconds(context.now()) });
  // For legacy compatibility, us-east-1 answers 200 to re-creating a bucket you own; other regions do not.
  if (!created && context.region !== "us-east-1") {
    throw new S3Error("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", 409);
  }
  return { Location: context.region === "us-east-1" ? `/${name}` : `http://${name}.s3.amazonaws.com/` };
};

export const headBucket: S3Operation = async (request, context) => {
  await existingBucket(request, context, true);
  return { AccessPointAlias: false, BucketRegion: context.region };
};

export const deleteBucket: S3Operation = async (request, context) => {
  const name = requiredString(request, "Bucket");
  const outcome = await context.store.deleteBucket(name);
  if (outcome === "missing") throw S3Error.noSuchBucket();
  if (outcome === "not-empty") throw new S3Error("BucketNotEmpty", "The bucket you tried to delete is not empty", 409);
  return {};
};

export const listBuckets: S3Operation = async (_request, context) => {
  const buckets = await context.store.buckets();
  return {
    Buckets: buckets.map((b) => ({ CreationDate: instant(b.creationDate), Name: b.name })),
    Owner: { ID: context.ownerId },
  };
};
