export { closeCampaign } from "./close";
export { createCampaign, launchCampaign, previewCampaign } from "./create";
export { decideItems } from "./decide";
export { delegateItems } from "./delegate";
export { nudgeReviewers } from "./nudge";
export { restoreItem } from "./restore";
export { createSchedule, setScheduleEnabled } from "./schedule";
