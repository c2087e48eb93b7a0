import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type Tag,
} from "@aws-sdk/client-sfn";
import { errorName, ROLE_ARN, startTestApi, type TestApi } from "./helpers.js";

const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:";
const definition = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
const manyTags = (n: number, prefix = "k"): Tag[] => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: `v${i}` }));

describe("TagResource / UntagResource / ListTagsForResource", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const tagsOf = async (resourceArn: string): Promise<Tag[] | undefined> => (await api.sfn.send(new ListTagsForResourceCommand({ resourceArn }))).tags;

  it("keeps a state machine's tags from creation, adds, replaces and removes them", async () => {
    const arn = `${SM}tagged`;
    await api.sfn.send(new CreateStateMachineCommand({ name: "tagged", definition, roleArn: ROLE_ARN, tags: [{ key: "team", value: "core" }, { key: "env", value: "dev" }] }));
    expect(await tagsOf(arn)).toEqual([{ key: "team", value: "core" }, { key: "env", value: "dev" }]);

    await api.sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: "env", value: "prod" }, { key: "cost", value: "" }] }));
    expect(await tagsOf(arn)).toEqual([{ key: "team", value: "core" }, { key: "env", value: "prod" }, { key: "cost", value: "" }]);
    // Tagging again with the same tags changes nothing.
    await api.sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: "env", value: "prod" }] }));
    expect(await tagsOf(arn)).toHaveLength(3);

    await api.sfn.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["team", "not-there"] }));
    expect(await tagsOf(arn)).toEqual([{ key: "env", value: "prod" }, { key: "cost", value: "" }]);
    await api.sfn.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["env", "cost"] }));
    expect(await tagsOf(arn)).toEqual([]);
  });

  it("tags activities too", async () => {
    const created = await api.sfn.send(new CreateActivityCommand({ name: "worker", tags: [{ key: "queue", value: "a" }] }));
    const arn = created.activityArn ?? "";
    await api.sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: "owner", value: "me" }] }));
    expect(await tagsOf(arn)).toEqual([{ key: "queue", value: "a" }, { key: "owner", value: "me" }]);
  });

  it("answers ResourceNotFound for what cannot carry tags, InvalidArn for what is no ARN", async () => {
    const versioned = await api.sfn.send(new CreateStateMachineCommand({ name: "versioned", definition, roleArn: ROLE_ARN, publish: true }));
    const version = versioned.stateMachineVersionArn ?? "";
    await expect(api.sfn.send(new TagResourceCommand({ resourceArn: version, tags: [{ key: "k", value: "v" }] }))).rejects.toMatchObject({
      name: "ResourceNotFound",
      message: `Resource not found: '${version}'`,
      resourceName: version,
    });
    expect(await errorName(api.sfn.send(new ListTagsForResourceCommand({ resourceArn: `${SM}ghost` })))).toBe("ResourceNotFound");
    expect(await errorName(api.sfn.send(new UntagResourceCommand({ resourceArn: `${SM}ghost`, tagKeys: ["k"] })))).toBe("ResourceNotFound");
    expect(await errorName(api.sfn.send(new ListTagsForResourceCommand({ resourceArn: "arn:aws:states:us-east-1:123456789012:activity:ghost" })))).toBe("ResourceNotFound");
    expect(await errorName(api.sfn.send(new ListTagsForResourceCommand({ resourceArn: "not-an-arn" })))).toBe("InvalidArn");
    expect(await errorName(api.sfn.send(new TagResourceCommand({ resourceArn: versioned.stateMachineArn, tags: [{ key: "", value: "v" }] })))).toBe("ValidationException");
    expect(await errorName(api.sfn.send(new TagResourceCommand({ resourceArn: versioned.stateMachineArn, tags: [{ key: "k".repeat(129), value: "v" }] })))).toBe("ValidationException");
  });

  it("allows 50 tags a resource and refuses more with TooManyTags", async () => {
    const arn = `${SM}crowded`;
    await api.sfn.send(new CreateStateMachineCommand({ name: "crowded", definition, roleArn: ROLE_ARN, tags: manyTags(40) }));
    await api.sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [...manyTags(10, "x"), { key: "k0", value: "replaced" }] }));
    expect(await tagsOf(arn)).toHaveLength(50);
    await expect(api.sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: "one-more", value: "v" }] }))).rejects.toMatchObject({
      name: "TooManyTags",
      resourceName: arn,
    });
    expect(await tagsOf(arn)).toHaveLength(50);
    expect(await errorName(api.sfn.send(new CreateStateMachineCommand({ name: "overtagged", definition, roleArn: ROLE_ARN, tags: manyTags(51) })))).toBe("TooManyTags");
    expect(await errorName(api.sfn.send(new ListTagsForResourceCommand({ resourceArn: `${SM}overtagged` })))).toBe("ResourceNotFound");
  });

  it("forgets a deleted state machine's tags", async () => {
    const arn = `${SM}recycled`;
    await api.sfn.send(new CreateStateMachineCommand({ name: "recycled", definition, roleArn: ROLE_ARN, tags: [{ key: "old", value: "yes" }] }));
    await api.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    await api.sfn.send(new CreateStateMachineCommand({ name: "recycled", definition, roleArn: ROLE_ARN }));
    expect(await tagsOf(arn)).toEqual([]);
  });
});
